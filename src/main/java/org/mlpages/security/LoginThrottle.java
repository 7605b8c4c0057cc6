package org.mlpages.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts failed logins per client address over a sliding minute; from the tenth, that
 * address is refused until the minute has passed, so guessing the admin password costs an
 * attacker hours per thousand tries.
 * <p>
 * Counted twice: in the database, which every instance shares (behind a load balancer an
 * address would otherwise try as often again on each instance), and in this instance's
 * memory, which still counts while the database is away (a login needs none: the admin
 * account is in the settings). Once the database has not answered, it is left alone for a
 * few seconds: each question would wait for the connection pool's timeout, and a login
 * asks three.
 */
class LoginThrottle {

	static final int MAX_FAILURES = 10;

	static final Duration WINDOW = Duration.ofMinutes(1);

	/** How long the database is left alone after it did not answer. */
	static final Duration DATABASE_RETRY = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

	private final JdbcTemplate jdbc;

	private final Clock clock;

	// clock millis before which the database is not asked
	private volatile long databaseAwayUntil;

	LoginThrottle(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	boolean isBlocked(String address) {
		return failuresHere(address) >= MAX_FAILURES || failuresInTheDatabase(address) >= MAX_FAILURES;
	}

	void failed(String address) {
		long now = clock.millis();
		int here;
		Deque<Long> times = failures.computeIfAbsent(address, key -> new ArrayDeque<>());
		synchronized (times) {
			prune(times);
			times.addLast(now);
			here = times.size();
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
		int shared = 0;
		if (isDatabaseAsked()) {
			try {
				jdbc.update("delete from login_failure where failed_at < ?", now - WINDOW.toMillis());
				jdbc.update("insert into login_failure (address, failed_at) values (?, ?)", address, now);
				shared = failuresInTheDatabase(address);
			}
			catch (DataAccessException ex) {
				databaseAway();
				log.warn("A failed login from {} is counted by this instance only, the database did not answer: {}",
						address, ex.getMessage());
			}
		}
		if (Math.max(here, shared) == MAX_FAILURES) {
			log.warn("{} failed logins from {} within a minute: refusing its logins for a minute", MAX_FAILURES,
					address);
		}
	}

	void succeeded(String address) {
		failures.remove(address);
		if (!isDatabaseAsked()) {
			log.warn("The failed logins from {} stay counted in the database, which did not answer lately", address);
			return;
		}
		try {
			jdbc.update("delete from login_failure where address = ?", address);
		}
		catch (DataAccessException ex) {
			databaseAway();
			log.warn("The failed logins from {} stay counted in the database, which did not answer: {}", address,
					ex.getMessage());
		}
	}

	private int failuresHere(String address) {
		Deque<Long> times = failures.get(address);
		if (times == null) {
			return 0;
		}
		synchronized (times) {
			prune(times);
			return times.size();
		}
	}

	private int failuresInTheDatabase(String address) {
		if (!isDatabaseAsked()) {
			return 0;
		}
		try {
			Integer count = jdbc.queryForObject(
					"select count(*) from login_failure where address = ? and failed_at >= ?", Integer.class, address,
					clock.millis() - WINDOW.toMillis());
			return count == null ? 0 : count;
		}
		catch (DataAccessException ex) {
			databaseAway();
			log.warn("Failed logins from {} counted by this instance only, the database did not answer: {}", address,
					ex.getMessage());
			return 0;
		}
	}

	private boolean isDatabaseAsked() {
		return clock.millis() >= databaseAwayUntil;
	}

	private void databaseAway() {
		databaseAwayUntil = clock.millis() + DATABASE_RETRY.toMillis();
	}

	private void prune(Deque<Long> times) {
		long oldest = clock.millis() - WINDOW.toMillis();
		while (!times.isEmpty() && times.peekFirst() < oldest) {
			times.removeFirst();
		}
	}

}
