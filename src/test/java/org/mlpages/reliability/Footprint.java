package org.mlpages.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.mlpages.jar.PackagedApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a running app holds between two loads: its resident memory, the heap's live
 * objects (counted by {@code jcmd GC.class_histogram}, which collects the whole heap
 * first) and its threads. A leak in Java shows in the live objects, whatever the
 * collector keeps; one in native memory (TensorFlow's) only in the resident memory.
 */
record Footprint(long rssMegabytes, long liveHeapMegabytes, long threads) {

	static Footprint of(PackagedApp app) throws IOException, InterruptedException {
		long live = liveHeapBytes(app) / (1024 * 1024);
		long threads;
		try (var tasks = Files.list(Path.of("/proc/" + app.pid() + "/task"))) {
			threads = tasks.count();
		}
		return new Footprint(rssMegabytes(app), live, threads);
	}

	static long rssMegabytes(PackagedApp app) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + app.pid() + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		throw new IllegalStateException("no VmRSS for " + app.pid());
	}

	private static long liveHeapBytes(PackagedApp app) throws IOException, InterruptedException {
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin/jcmd").toString(),
				Long.toString(app.pid()), "GC.class_histogram")
			.redirectErrorStream(true)
			.start();
		String output = new String(jcmd.getInputStream().readAllBytes());
		assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
		for (String line : output.lines().toList()) {
			if (line.startsWith("Total ")) {
				String[] columns = line.trim().split("\\s+");
				return Long.parseLong(columns[2]);
			}
		}
		throw new IllegalStateException("no total in jcmd's class histogram: " + output);
	}

	@Override
	public String toString() {
		return "RSS " + rssMegabytes + " MB, live heap " + liveHeapMegabytes + " MB, " + threads + " threads";
	}

}
