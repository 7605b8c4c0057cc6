package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped systemd unit ({@code deploy/systemd/mlpages.service}) read as systemd reads
 * the lines the tests use: each {@code Key=value} of {@code [Service]} (a key may
 * repeat), {@code Environment=} values unquoted.
 */
public record ServiceUnit(Map<String, List<String>> service) {

	static final Path SHIPPED = Path.of("deploy/systemd/mlpages.service");

	public static ServiceUnit shipped() throws IOException {
		Map<String, List<String>> service = new LinkedHashMap<>();
		String section = "";
		for (String line : Files.readAllLines(SHIPPED)) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			if (trimmed.startsWith("[")) {
				section = trimmed;
				continue;
			}
			int equals = trimmed.indexOf('=');
			if ("[Service]".equals(section) && equals > 0) {
				service.computeIfAbsent(trimmed.substring(0, equals), key -> new ArrayList<>())
					.add(trimmed.substring(equals + 1));
			}
		}
		return new ServiceUnit(service);
	}

	public String one(String key) {
		List<String> values = service.getOrDefault(key, List.of());
		if (values.size() != 1) {
			throw new IllegalStateException(key + "= appears " + values.size() + " times in " + SHIPPED);
		}
		return values.get(0);
	}

	/** {@code Environment=} assignments, in order; a quoted one loses its quotes. */
	public Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		for (String value : service.getOrDefault("Environment", List.of())) {
			String assignment = value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1)
					: value;
			int equals = assignment.indexOf('=');
			environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
		}
		return environment;
	}

	/**
	 * The JVM's options, split on spaces as systemd splits an unbraced
	 * {@code $JAVA_OPTS}.
	 */
	public List<String> javaOptions() {
		return Arrays.asList(environment().get("JAVA_OPTS").trim().split("\\s+"));
	}

}
