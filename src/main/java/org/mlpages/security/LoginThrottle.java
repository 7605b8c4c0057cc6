package org.mlpages.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins per client address over a sliding minute; from the tenth, that
 * address is refused until the minute has passed, so guessing the admin password costs an
 * attacker hours per thousand tries.
 */
class LoginThrottle {

	static final int MAX_FAILURES = 10;

	static final Duration WINDOW = Duration.ofMinutes(1);

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

	private final Clock clock;

	LoginThrottle(Clock clock) {
		this.clock = clock;
	}

	boolean isBlocked(String address) {
		Deque<Long> times = failures.get(address);
		if (times == null) {
			return false;
		}
		synchronized (times) {
			prune(times);
			return times.size() >= MAX_FAILURES;
		}
	}

	void failed(String address) {
		Deque<Long> times = failures.computeIfAbsent(address, key -> new ArrayDeque<>());
		synchronized (times) {
			prune(times);
			times.addLast(clock.millis());
			if (times.size() == MAX_FAILURES) {
				log.warn("{} failed logins from {} within a minute: refusing its logins for a minute", MAX_FAILURES,
						address);
			}
		}
		if (failures.size() > 10_000) {
			// a flood of addresses must not grow the map without bound
			failures.entrySet().removeIf(entry -> {
				synchronized (entry.getValue()) {
					prune(entry.getValue());
					return entry.getValue().isEmpty();
				}
			});
		}
	}

	void succeeded(String address) {
		failures.remove(address);
	}

	private void prune(Deque<Long> times) {
		long oldest = clock.millis() - WINDOW.toMillis();
		while (!times.isEmpty() && times.peekFirst() < oldest) {
			times.removeFirst();
		}
	}

}
