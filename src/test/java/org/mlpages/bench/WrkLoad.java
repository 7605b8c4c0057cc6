package org.mlpages.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP load generator of {@link ThroughputComparison}: wrk (Debian package
 * {@code wrk}) with {@code bench/photo-post.lua}, N keep-alive connections on one wrk
 * thread, each in a closed loop. wrk is written in C and sends a body built once, so it
 * takes far less of the 2 shared cores than a Java client would (at 250 photos/s the JDK
 * client took about a fifth of a core): the figure is the app's, not the client's.
 */
final class WrkLoad {

	private static final Path SCRIPT = Path.of("bench/photo-post.lua");

	/** What one wrk run reported, plus the CPU wrk itself used. */
	record Result(long requests, double seconds, long ok, long bad, String statuses, long socketErrors, double p50Ms,
			double p99Ms, double meanMs, double inferenceMs, double serviceMs, double wrkCpuSeconds) {

		long errors() {
			return bad + socketErrors;
		}

	}

	private WrkLoad() {
	}

	static boolean available() {
		try {
			Process probe = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
			probe.getInputStream().readAllBytes();
			probe.waitFor();
			return Files.isRegularFile(SCRIPT);
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

	/**
	 * Runs wrk for {@code seconds} against {@code url} with {@code connections} clients,
	 * posting {@code bodyFile} and counting answers with status {@code expect} as good.
	 */
	static Result run(String url, Path bodyFile, String boundary, int connections, int seconds, int expect)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("sh", "-c",
				// the shell waits for wrk, then its own stat has wrk's CPU in
				// cutime/cstime
				"wrk \"$@\"; status=$?; echo \"STAT $(cat /proc/$$/stat)\"; exit $status", "wrk-cpu"));
		command.addAll(List.of("-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "60s", "--latency", "-s",
				SCRIPT.toString(), url));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("BODY_FILE", bodyFile.toAbsolutePath().toString());
		builder.environment().put("BOUNDARY", boundary);
		builder.environment().put("EXPECT", Integer.toString(expect));
		Process wrk = builder.start();
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (wrk.waitFor() != 0) {
			throw new IOException("wrk failed: " + output);
		}
		Map<String, String> fields = new HashMap<>();
		String stat = null;
		for (String line : output.split("\n")) {
			if (line.startsWith("RESULT ")) {
				for (String pair : line.substring(7).trim().split(" ")) {
					int eq = pair.indexOf('=');
					fields.put(pair.substring(0, eq), pair.substring(eq + 1));
				}
			}
			else if (line.startsWith("STAT ")) {
				stat = line.substring(5);
			}
		}
		if (fields.isEmpty() || stat == null) {
			throw new IOException("no RESULT from wrk: " + output);
		}
		return new Result(Long.parseLong(fields.get("requests")), number(fields, "seconds"),
				Long.parseLong(fields.get("ok")), Long.parseLong(fields.get("bad")), fields.get("statuses"),
				Long.parseLong(fields.get("socket_errors")), number(fields, "p50"), number(fields, "p99"),
				number(fields, "mean"), number(fields, "inference"), number(fields, "service"), childCpuSeconds(stat));
	}

	private static double number(Map<String, String> fields, String name) {
		String value = fields.get(name);
		return (value == null || value.contains("nan")) ? Double.NaN : Double.parseDouble(value);
	}

	/** cutime + cstime (fields 16 and 17) of a /proc/PID/stat line, in seconds. */
	private static double childCpuSeconds(String stat) {
		String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// after[0] is field 3 (state): field n is after[n - 3]
		long ticks = Long.parseLong(after[13]) + Long.parseLong(after[14]);
		return ticks / 100.0; // USER_HZ, as BenchSupport.processCpuNanos
	}

}
