package org.mlpages.deploy;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.mlpages.config.MariaDbDatabase;
import org.mlpages.jar.PackagedApp;
import org.mlpages.web.Multipart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile, built and run as an operator would with podman: the image is built from
 * this checkout, started with a secrets file and named volumes, asked for a photo's class
 * and a credit decision through the container's port, stopped, and started again as a new
 * container on the same volumes, where the first prediction's row must still be. Skipped
 * where podman is missing, unless {@code MLPAGES_REQUIRE_PODMAN} is set (CI sets it:
 * there a skip would hide a broken image). CI passes local base images in
 * {@code MLPAGES_IMAGE_BUILD_ARGS} (deploy/container/make-local-bases.sh), since no
 * registry is reachable there.
 */
class ContainerImageIT {

	private static final String IMAGE = "localhost/mlpages:it";

	private static final Path PHOTO = Path.of("src/test/resources/photos/cdf_validation_dog.2000.jpg");

	private static final String ADMIN_PASSWORD = "container-" + UUID.randomUUID();

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final List<String> CREATED = new ArrayList<>();

	private static Path dir;

	@BeforeAll
	static void buildTheImage() throws Exception {
		boolean podman = Files.isExecutable(Path.of("/usr/bin/podman"))
				|| Files.isExecutable(Path.of("/usr/local/bin/podman"));
		if (!podman) {
			String reason = "podman is not installed (apt-get install podman runc)";
			if (System.getenv("MLPAGES_REQUIRE_PODMAN") != null) {
				throw new IllegalStateException("MLPAGES_REQUIRE_PODMAN is set and " + reason);
			}
			Assumptions.abort(reason + "; the image is not built. Set MLPAGES_REQUIRE_PODMAN to make this a failure.");
		}
		dir = Files.createDirectories(Path.of("target/container-it"));
		// --layers=false: no intermediate image per step, each of which is a full copy of
		// the one
		// before under the vfs storage this sandbox needs (106 s against 58 s for the
		// runtime
		// stage here); the image is the same.
		List<String> build = new ArrayList<>(List.of("podman", "build", "--layers=false", "--format", "docker",
				"--isolation", "chroot", "--network", "host", "-t", IMAGE));
		String buildArgs = System.getenv("MLPAGES_IMAGE_BUILD_ARGS");
		if (buildArgs != null && !buildArgs.isBlank()) {
			build.addAll(Arrays.asList(buildArgs.trim().split("\\s+")));
		}
		build.add(".");
		Result built = podman(Duration.ofMinutes(20), dir.resolve("build.log"), build);
		assertThat(built.exit()).as("podman build (log in %s):%n%s", dir.resolve("build.log"), built.tail()).isZero();
	}

	@AfterAll
	static void removeWhatTheTestMade() throws Exception {
		List<String> newestFirst = new ArrayList<>(CREATED);
		Collections.reverse(newestFirst);
		for (String name : newestFirst) {
			// a container's anonymous volume (the image's /app/models) goes with it
			List<String> remove = name.startsWith("volume:")
					? List.of("podman", "volume", "rm", "--force", name.substring("volume:".length()))
					: List.of("podman", "container", "rm", "--force", "--volumes", name);
			podman(Duration.ofMinutes(1), null, remove);
		}
	}

	@Test
	void theImageServesAsANonRootUserStopsCleanlyAndKeepsItsDataInItsVolume() throws Exception {
		Path secrets = dir.resolve("secrets.yml");
		Files.writeString(secrets, "mlpages:\n  admin:\n    username: admin\n    password: " + ADMIN_PASSWORD + "\n");
		String data = volume("data");
		String uploads = volume("uploads");

		int port = PackagedApp.freePort();
		Instant started = Instant.now();
		String first = run("first", port, data, uploads, secrets);
		URI base = URI.create("http://127.0.0.1:" + port);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		HttpResponse<String> photo = firstAnswer(http, base, first);
		Duration toFirstPrediction = Duration.between(started, Instant.now());
		assertThat(photo.body()).contains("\"label\":\"Dog\"");
		long photoId = id(photo.body());
		String timing = "podman run to the first classified photo: %.1f s"
			.formatted(toFirstPrediction.toMillis() / 1000.0);
		System.out.println("[ContainerImageIT] " + timing);
		Files.writeString(dir.resolve("timing.txt"), timing + "\n");

		assertThat(podman(Duration.ofMinutes(1), null, List.of("podman", "healthcheck", "run", first)).exit())
			.as("the image's HEALTHCHECK passes once the app answers")
			.isZero();
		assertThat(podman(Duration.ofMinutes(1), null, List.of("podman", "exec", first, "id", "-u")).output().strip())
			.as("the app's user")
			.isEqualTo("10001");

		HttpResponse<String> credit = http
			.send(HttpRequest.newBuilder(base.resolve("/api/v1/models/credit/predictions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(CREDIT_APPLICANT))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(credit.statusCode()).as(credit.body()).isEqualTo(200);
		assertThat(credit.body()).containsPattern("\"decision\":\"(granted|refused)\"");
		long creditId = id(credit.body());

		String rss = podman(Duration.ofMinutes(1), null,
				List.of("podman", "exec", first, "grep", "VmRSS", "/proc/1/status"))
			.output()
			.strip();
		System.out.println("[ContainerImageIT] after a photo and a credit decision: " + rss);
		Files.writeString(dir.resolve("timing.txt"), rss + "\n", java.nio.file.StandardOpenOption.APPEND);

		// a start that unpacks or converts nothing leaves the image's folders as they
		// were
		String changes = podman(Duration.ofMinutes(1), null, List.of("podman", "diff", first)).output();
		assertThat(changes.lines().filter(line -> line.matches("[ACD] /app/(cache|jar|models)/.*")))
			.as("files the start wrote into the image's cache, jar or models:%n%s", changes)
			.isEmpty();

		Result stopped = podman(Duration.ofMinutes(1), null, List.of("podman", "stop", "--time", "30", first));
		assertThat(stopped.exit()).isZero();
		String exitCode = podman(Duration.ofMinutes(1), null,
				List.of("podman", "inspect", "--format", "{{.State.ExitCode}}", first))
			.output()
			.strip();
		assertThat(exitCode).as("a stop by SIGTERM is a clean exit").isIn("0", "143");
		String firstLog = podman(Duration.ofMinutes(1), null, List.of("podman", "logs", first)).output();
		assertThat(firstLog).contains("Commencing graceful shutdown").doesNotContain("Exception");

		String second = run("second", port, data, uploads, secrets);
		firstAnswer(http, base, second);
		String csv = asAdmin(base).apply("/history/export.csv");
		assertThat(csv.lines().map(line -> line.split(",", 2)[0])).as("the history after a new container")
			.contains(Long.toString(photoId), Long.toString(creditId));
	}

	/**
	 * The image runs with the memory options measured for the systemd unit: one set of
	 * figures for the operator, whichever way the app is run.
	 */
	@Test
	void theImageRunsJavaWithTheServiceUnitsMemoryOptions() throws Exception {
		Matcher unit = Pattern.compile("(?m)^Environment=\"JAVA_OPTS=([^\"]+)\"")
			.matcher(Files.readString(Path.of("deploy/systemd/mlpages.service")));
		assertThat(unit.find()).as("JAVA_OPTS in deploy/systemd/mlpages.service").isTrue();
		String environment = podman(Duration.ofMinutes(1), null,
				List.of("podman", "image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", IMAGE))
			.output();
		assertThat(environment.lines()).contains("JAVA_TOOL_OPTIONS=" + unit.group(1), "MALLOC_ARENA_MAX=2");
	}

	/**
	 * deploy/kubernetes/mlpages.yaml played by {@code podman kube play} on the image
	 * built above, as {@link KubernetesManifest#playable} adapts it to one machine: the
	 * init container fills the shared volume with the shipped models, the pod reads its
	 * settings from the Secret's file, becomes ready on the readiness probe's path once
	 * Spring has started and every model has loaded, and keeps its rows and sessions in
	 * the MySQL/MariaDB database, its photos in the shared volume.
	 */
	@Nested
	@ExtendWith(MariaDbDatabase.class)
	class TheKubernetesManifest {

		@Test
		void playsWithPodmanOnTheSharedDatabaseAndVolume() throws Exception {
			KubernetesManifest manifest = KubernetesManifest.shipped();
			Map<String, Object> settings = manifest.settings();
			// the pod reaches the machine's loopback at 10.0.2.2 (slirp4netns below)
			Map<String, Object> datasource = KubernetesManifest
				.map(KubernetesManifest.at(settings, "spring", "datasource"));
			datasource.put("url", "jdbc:mysql://10.0.2.2:" + MariaDbDatabase.port() + "/" + MariaDbDatabase.name());
			datasource.put("username", MariaDbDatabase.name());
			datasource.put("password", MariaDbDatabase.password());
			KubernetesManifest.map(KubernetesManifest.at(settings, "mlpages", "admin")).put("password", ADMIN_PASSWORD);
			int port = PackagedApp.freePort();
			String prefix = "mlpages-it-" + RUN + "-";
			Path played = dir.resolve("kubernetes.yaml");
			Files.writeString(played, manifest.playable(IMAGE, prefix, port, settings));
			String pod = prefix + KubernetesManifest.name(manifest.one("Deployment")) + "-pod-0";
			String claim = prefix + KubernetesManifest.name(manifest.one("PersistentVolumeClaim"));
			Set<String> volumesBefore = Set
				.copyOf(podman(Duration.ofMinutes(1), null, List.of("podman", "volume", "ls", "--quiet")).output()
					.lines()
					.toList());
			try {
				Result play = podman(Duration.ofMinutes(3), null, List.of("podman", "kube", "play", "--network",
						"slirp4netns:allow_host_loopback=true", played.toString()));
				assertThat(play.exit()).as(play.output()).isZero();
				URI base = URI.create("http://127.0.0.1:" + port);
				HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
				String readiness = (String) KubernetesManifest.at(manifest.appContainer(), "readinessProbe", "httpGet",
						"path");
				String liveness = (String) KubernetesManifest.at(manifest.appContainer(), "livenessProbe", "httpGet",
						"path");
				Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
				// Ready once Spring has started and every model has loaded; both
				// probes are asked, as Kubernetes asks them.
				int ready;
				int alive;
				while ((ready = status(http, base.resolve(readiness))) != 200
						| (alive = status(http, base.resolve(liveness))) != 200) {
					if (Instant.now().isAfter(giveUp)) {
						throw new AssertionError("the pod not ready and alive within 2 minutes (" + readiness + " "
								+ ready + ", " + liveness + " " + alive + "):\n"
								+ podman(Duration.ofMinutes(1), null, List.of("podman", "logs", pod + "-mlpages"))
									.output());
					}
					Thread.sleep(250);
				}

				HttpResponse<String> photo = firstAnswer(http, base, pod + "-mlpages");
				long photoId = id(photo.body());
				String csv = asAdmin(base).apply("/history/export.csv");
				assertThat(csv.lines().map(line -> line.split(",", 2)[0])).contains(Long.toString(photoId));
				String storedFile;
				try (Connection database = DriverManager.getConnection(
						"jdbc:mysql://127.0.0.1:" + MariaDbDatabase.port() + "/" + MariaDbDatabase.name(),
						MariaDbDatabase.name(), MariaDbDatabase.password());
						Statement sql = database.createStatement()) {
					ResultSet row = sql
						.executeQuery("SELECT model_name, stored_file FROM prediction WHERE id = " + photoId);
					assertThat(row.next()).as("the photo's row in the shared database").isTrue();
					assertThat(row.getString(1)).isEqualTo("cats_vs_dogs");
					storedFile = row.getString(2);
					ResultSet sessions = sql
						.executeQuery("SELECT COUNT(*) FROM SPRING_SESSION WHERE PRINCIPAL_NAME = 'admin'");
					sessions.next();
					assertThat(sessions.getInt(1)).as("the admin's session in the shared database").isPositive();
				}
				Path shared = Path.of(podman(Duration.ofMinutes(1), null,
						List.of("podman", "volume", "inspect", "--format", "{{.Mountpoint}}", claim))
					.output()
					.strip());
				assertThat(shared.resolve("models/cats_vs_dogs.h5"))
					.as("the shipped models, copied by the init container")
					.exists();
				assertThat(shared.resolve("uploads").resolve(storedFile)).as("the photo in the shared volume").exists();
			}
			finally {
				Result down = takeDown(played, prefix);
				for (String volume : podman(Duration.ofMinutes(1), null, List.of("podman", "volume", "ls", "--quiet"))
					.output()
					.lines()
					.toList()) {
					if (!volumesBefore.contains(volume)) {
						podman(Duration.ofMinutes(1), null, List.of("podman", "volume", "rm", "--force", volume));
					}
				}
				assertThat(down.exit()).as(down.output()).isZero();
			}
		}

		/**
		 * {@code podman kube play --down}; where podman stopped the pod but found a
		 * container's shm mount still busy when it removed its files (seen once on vfs
		 * storage: "device or resource busy", the pod already gone), the played
		 * containers left behind are removed again, and the teardown counts as done only
		 * once none is left.
		 */
		private static Result takeDown(Path played, String prefix) throws Exception {
			Result down = podman(Duration.ofMinutes(2), null,
					List.of("podman", "kube", "play", "--down", played.toString()));
			for (int attempt = 0; attempt < 3 && down.exit() != 0
					&& down.output().contains("device or resource busy"); attempt++) {
				Thread.sleep(2000);
				List<String> left = podman(Duration.ofMinutes(1), null,
						List.of("podman", "ps", "--all", "--quiet", "--filter", "name=^" + prefix))
					.output()
					.lines()
					.filter(line -> !line.isBlank())
					.toList();
				List<String> remove = new ArrayList<>(List.of("podman", "rm", "--force", "--ignore"));
				remove.addAll(left);
				Result removed = left.isEmpty() ? new Result(0, "") : podman(Duration.ofMinutes(1), null, remove);
				down = new Result(removed.exit(),
						down.output() + "\nthen " + String.join(" ", remove) + ":\n" + removed.output());
			}
			return down;
		}

		private static int status(HttpClient http, URI uri) throws InterruptedException {
			try {
				return http
					.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode();
			}
			catch (IOException notListeningYet) {
				return 0;
			}
		}

	}

	/**
	 * The container answers photos once its model has loaded: until then 503 or no
	 * answer.
	 */
	private static HttpResponse<String> firstAnswer(HttpClient http, URI base, String container) throws Exception {
		HttpRequest post = Multipart.file("image", "dog.jpg", Files.readAllBytes(PHOTO))
			.post(HttpRequest.newBuilder(base.resolve("/api/v1/models/cats_vs_dogs/predictions")))
			.timeout(Duration.ofSeconds(30))
			.build();
		Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
		HttpResponse<String> last = null;
		while (Instant.now().isBefore(giveUp)) {
			try {
				last = http.send(post, HttpResponse.BodyHandlers.ofString());
				if (last.statusCode() == 200) {
					return last;
				}
			}
			catch (IOException notListeningYet) {
				// still starting
			}
			String state = podman(Duration.ofMinutes(1), null,
					List.of("podman", "inspect", "--format", "{{.State.Status}}", container))
				.output()
				.strip();
			assertThat(state)
				.as("the container %s stopped:%n%s", container,
						podman(Duration.ofMinutes(1), null, List.of("podman", "logs", container)).output())
				.isEqualTo("running");
			Thread.sleep(100);
		}
		throw new AssertionError("no classified photo within 3 minutes; last answer: "
				+ (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n"
				+ podman(Duration.ofMinutes(1), null, List.of("podman", "logs", container)).output());
	}

	private static String run(String which, int port, String data, String uploads, Path secrets) throws Exception {
		String name = "mlpages-it-" + RUN + "-" + which;
		CREATED.add(name);
		Result run = podman(Duration.ofMinutes(2), null,
				List.of("podman", "run", "--detach", "--name", name, "--publish", "127.0.0.1:" + port + ":8080",
						"--volume", data + ":/app/data", "--volume", uploads + ":/app/uploads", "--volume",
						secrets.toAbsolutePath() + ":/app/secrets.yml:ro", IMAGE));
		assertThat(run.exit()).as(run.output()).isZero();
		return name;
	}

	private static String volume(String which) throws Exception {
		String name = "mlpages-it-" + RUN + "-" + which;
		CREATED.add("volume:" + name);
		assertThat(podman(Duration.ofMinutes(1), null, List.of("podman", "volume", "create", name)).exit()).isZero();
		return name;
	}

	private interface Get {

		String apply(String path) throws Exception;

	}

	/** Signs in through the login form, as a person would, and reads pages as admin. */
	private static Get asAdmin(URI base) throws Exception {
		HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String login = http
			.send(HttpRequest.newBuilder(base.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = CSRF.matcher(login);
		assertThat(csrf.find()).as("the login form's CSRF token").isTrue();
		String form = "username=admin&password=" + ADMIN_PASSWORD + "&_csrf=" + csrf.group(1);
		HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(base.resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
		return path -> {
			HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).as(path).isEqualTo(200);
			return page.body();
		};
	}

	private static long id(String json) {
		Matcher id = ID.matcher(json);
		assertThat(id.find()).as(json).isTrue();
		return Long.parseLong(id.group(1));
	}

	private record Result(int exit, String output) {

		String tail() {
			List<String> lines = output.lines().toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}

	}

	/**
	 * Runs podman with the settings CI's sandbox needs when they are given
	 * ({@code CONTAINERS_CONF}, {@code CONTAINERS_STORAGE_CONF}: inherited).
	 */
	private static Result podman(Duration timeout, Path log, List<String> command) throws Exception {
		Path out = log != null ? log : Files.createTempFile(dir, "podman-", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(
					String.join(" ", command) + " took over " + timeout + ":\n" + Files.readString(out));
		}
		String output = Files.readString(out, StandardCharsets.UTF_8);
		if (log == null) {
			Files.delete(out);
		}
		return new Result(process.exitValue(), output);
	}

	private static final String CREDIT_APPLICANT = """
			{"checking_status": "no checking", "duration": 12, "credit_history": "existing paid",
			 "purpose": "radio/tv", "credit_amount": 1800, "savings_status": "100<=X<500",
			 "employment": "4<=X<7", "installment_commitment": 2, "personal_status": "male single",
			 "other_parties": "none", "residence_since": 3, "property_magnitude": "life insurance", "age": 38,
			 "other_payment_plans": "none", "housing": "own", "existing_credits": 1, "job": "skilled",
			 "num_dependents": 1, "own_telephone": "yes", "foreign_worker": "yes"}""";

}
