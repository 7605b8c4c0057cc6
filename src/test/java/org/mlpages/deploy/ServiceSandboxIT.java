package org.mlpages.deploy;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged jar started by the unit's {@code ExecStart} (bin/run-prepared.sh) with the
 * unit's environment inside the unit's sandbox, rebuilt by {@code sandboxed.sh} where
 * systemd is not PID 1 and {@code systemd-run} cannot start it: read-only system, one
 * writable folder (the service's working directory, here with its own empty cache, as on
 * a server's first start), private /tmp, no /home, an unprivileged user, no capabilities,
 * no_new_privs, systemd's own {@code @system-service} call list (others EPERM) and the
 * three socket families. It must load both image models (TensorFlow's natives unpacked
 * into the writable folder), classify, decide, log each prediction, and stop gracefully
 * on SIGTERM. The first start prepares the fast start in the service's own folder; the
 * second finds it ready and starts with it.
 */
class ServiceSandboxIT {

	private static final Path SCRIPT = Path.of("src/test/resources/org/mlpages/deploy/sandboxed.sh");

	/** nobody: the test cannot create the unit's user on the machine it runs on */
	private static final String UNPRIVILEGED = "65534";

	private static final Path PHOTO = Path.of("src/test/resources/photos/cdf_validation_cat.2003.jpg");

	@Test
	void theAppRunsInTheUnitsSandbox() throws Exception {
		requireSandboxTools();
		ServiceUnit unit = ServiceUnit.shipped();
		Path dir = PackagedApp.workDir();
		// the service's working directory: its own empty cache, as on a server's first
		// start, which
		// is also where PackagedApp's cache (target/test-cache, relative) points from
		// there; the
		// shipped models
		Path cache = Files.createDirectories(dir.resolve("data/cache"));
		Files.createSymbolicLink(Files.createDirectories(dir.resolve("target")).resolve("test-cache"),
				Path.of("../data/cache"));
		Files.createSymbolicLink(dir.resolve("models"), Path.of("models").toAbsolutePath());
		run("chown", "-R", "-h", UNPRIVILEGED + ":" + UNPRIVILEGED, dir.toString());

		List<String> start = new ArrayList<>(List.of("bash", SCRIPT.toString(), UNPRIVILEGED, UNPRIVILEGED,
				dir.toString(), "--", "/usr/bin/env", "--chdir=" + dir));
		// the java on the PATH, as under systemd
		start.add("JAVA_HOME=");
		unit.environment().forEach((name, value) -> start.add(name + "=" + value));
		// ExecStart: the launcher the kit installs in /opt/mlpages/bin, from this
		// checkout
		List<String> execStart = List.of(unit.one("ExecStart").split("\\s+"));
		start.add(Path.of("bin").resolve(Path.of(execStart.get(0)).getFileName()).toAbsolutePath().toString());
		start.add(PackagedApp.javaJar().get(2));

		PackagedApp first = PackagedApp.start(start, Map.of(), dir, PackagedApp.freePort());
		try {
			servesAndLogs(first, dir, 1);
		}
		finally {
			first.close();
		}
		// the first start prepared the fast start in the service's own folder, and
		// started with it
		assertThat(first.log()).contains("run-prepared.sh: preparing the start of", "run-prepared.sh: prepared in");
		try (var starts = Files.list(cache.resolve("start"))) {
			assertThat(starts.filter(path -> Files.isExecutable(path.resolve("start.sh")))).hasSize(1);
		}

		PackagedApp second = PackagedApp.start(start, Map.of(), dir, PackagedApp.freePort());
		try {
			servesAndLogs(second, dir, 4);
			// the second one found it ready
			assertThat(second.log()).doesNotContain("run-prepared.sh: preparing");
			// the JVM runs the prepared start: Spring's AOT mode and the JVM's class
			// cache
			List<String> arguments = ProcessHandle.of(jvmIn(dir))
				.flatMap(process -> process.info().arguments())
				.map(List::of)
				.orElseThrow();
			assertThat(arguments).contains("-Dspring.aot.enabled=true")
				.anyMatch(argument -> argument.startsWith("-XX:SharedArchiveFile=")
						|| argument.startsWith("-XX:AOTCache="));
			// unpacked by the app, into the only place it may write
			try (var files = Files.walk(cache)) {
				assertThat(files.anyMatch(file -> file.getFileName().toString().startsWith("libtensorflow"))).isTrue();
			}
		}
		finally {
			second.close();
			// TensorFlow's natives as unpacked: about 600 MB per run
			FileSystemUtils.deleteRecursively(cache);
		}
		for (PackagedApp app : List.of(first, second)) {
			assertThat(app.log()).contains("Graceful shutdown complete")
				.doesNotContain("Read-only file system", "Operation not permitted", "Permission denied")
				// madvise (JNA, which unpacks itself into the private /tmp) is allowed
				.doesNotContain("cannot release TensorFlow's unused code pages");
		}
	}

	/**
	 * A photo to each image model and a credit decision, each answered with its row's id.
	 */
	private static void servesAndLogs(PackagedApp app, Path dir, int firstId) throws Exception {
		String status = Files.readString(Path.of("/proc", String.valueOf(jvmIn(dir)), "status"));
		assertThat(status).containsPattern("Uid:\\s+65534\\s+65534\\s+65534\\s+65534")
			.containsPattern("NoNewPrivs:\\s+1")
			.containsPattern("Seccomp:\\s+2")
			.containsPattern("CapEff:\\s+0+\\n")
			.containsPattern("CapBnd:\\s+0+\\n");
		HttpClient http = HttpClient.newHttpClient();
		int id = firstId;
		for (String model : List.of("cats_vs_dogs", "cat_dog_model")) {
			HttpResponse<String> answer = http.send(multipart(app, "/api/v1/models/" + model + "/predictions"),
					HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.body()).contains("\"label\":\"Cat\"", "\"id\":" + id++ + ",");
		}
		HttpResponse<String> decision = http.send(HttpRequest.newBuilder(app.uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(CREDIT_APPLICANT))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(decision.statusCode()).as(decision.body()).isEqualTo(200);
		assertThat(decision.body()).contains("\"id\":" + id + ",");
	}

	private static final String CREDIT_APPLICANT = """
			{"checking_status":"no checking","duration":12,"credit_history":"existing paid","purpose":"radio/tv",
			"credit_amount":1800,"savings_status":"100<=X<500","employment":"4<=X<7","installment_commitment":2,
			"personal_status":"male single","other_parties":"none","residence_since":3,
			"property_magnitude":"life insurance","age":38,"other_payment_plans":"none","housing":"own",
			"existing_credits":1,"job":"skilled","num_dependents":1,"own_telephone":"yes","foreign_worker":"yes"}
			""";

	/**
	 * Root (to make the mount namespace), util-linux's unshare and setpriv, and Debian's
	 * python3-seccomp; with {@code MLPAGES_REQUIRE_SANDBOX} set (CI) a missing one fails
	 * the test instead of skipping it.
	 */
	private static void requireSandboxTools() throws Exception {
		List<String> missing = new ArrayList<>();
		if (!"root".equals(System.getProperty("user.name"))) {
			missing.add("root");
		}
		for (String tool : List.of("/usr/bin/unshare", "/usr/bin/setpriv", "/usr/bin/systemd-analyze",
				"/usr/bin/python3")) {
			if (!Files.isExecutable(Path.of(tool))) {
				missing.add(tool);
			}
		}
		if (missing.isEmpty() && run("/usr/bin/python3", "-c", "import seccomp") != 0) {
			missing.add("python3-seccomp");
		}
		if (System.getenv("MLPAGES_REQUIRE_SANDBOX") != null) {
			assertThat(missing).as("needed for the sandbox test (MLPAGES_REQUIRE_SANDBOX is set)").isEmpty();
		}
		assumeTrue(missing.isEmpty(), "the sandbox test needs " + missing);
	}

	private static long jvmIn(Path dir) {
		Optional<ProcessHandle> jvm = ProcessHandle.allProcesses()
			.filter(process -> process.info().command().map(command -> command.endsWith("/java")).orElse(false))
			.filter(process -> process.info()
				.arguments()
				.map(List::of)
				.orElse(List.of())
				.stream()
				.anyMatch(argument -> argument.contains(dir.toString())))
			.findFirst();
		assertThat(jvm).as("the sandboxed JVM").isPresent();
		return jvm.get().pid();
	}

	private static int run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getInputStream().readAllBytes();
		return process.waitFor();
	}

	private static HttpRequest multipart(PackagedApp app, String path) throws Exception {
		String boundary = "----mlpages" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"cat.jpg\"\r\n"
						+ "Content-Type: image/jpeg\r\n\r\n")
					.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(Files.readAllBytes(PHOTO));
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(app.uri(path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build();
	}

}
