package org.mlpages.jar;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar Maven packaged, started as an operator starts it (a separate JVM, from the
 * folder that holds {@code models/}): as it is, and through {@code bin/prepare-start.sh}
 * (extracted, with the start cache of the newest JDK the machine has, in Spring's
 * ahead-of-time mode, which only a packaged run exercises). Each must serve the pages and
 * classify a photo like the app the other tests start.
 */
class PackagedJarIT {

	private static final Path PHOTO = Path.of("src/test/resources/photos/cdf_validation_dog.2000.jpg");

	private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

	@Test
	void theJarAsItIsServesPagesAndClassifiesAPhoto() throws Exception {
		Path dir = PackagedApp.workDir();
		servesPagesAndClassifiesAPhoto(PackagedApp.javaJar(), Map.of(), dir);
	}

	/**
	 * The start the Dockerfile and docs/start-up.md's fast start use. The JVM is told to
	 * refuse to start rather than run without the cache, so a cache it cannot use fails
	 * the test instead of only slowing the start.
	 */
	@Test
	void thePreparedStartUsesItsCacheAndAheadOfTimeMode() throws Exception {
		Path dir = PackagedApp.workDir();
		Path javaHome = newestJdk();
		Path prepared = dir.resolve("app");
		ProcessBuilder prepare = new ProcessBuilder("bin/prepare-start.sh", PackagedApp.javaJar().get(2),
				prepared.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("prepare.log").toFile());
		prepare.environment().put("JAVA_HOME", javaHome.toString());
		prepare.environment().put("MLPAGES_CACHE_DIR", PackagedApp.CACHE_DIR);
		Process preparing = prepare.start();
		try {
			assertThat(preparing.waitFor(5, TimeUnit.MINUTES)).as("prepare-start.sh finished").isTrue();
		}
		finally {
			// the training JVM and the JVM that writes the cache are its children
			preparing.descendants().forEach(ProcessHandle::destroyForcibly);
			preparing.destroyForcibly();
		}
		assertThat(preparing.exitValue()).as(Files.readString(dir.resolve("prepare.log"))).isZero();

		boolean aotCache = featureVersion(javaHome) >= 25;
		assertThat(prepared.resolve(aotCache ? "app.aot" : "app.jsa")).isNotEmptyFile();
		String strict = aotCache ? "-XX:AOTMode=on" : "-Xshare:on";
		String toolOptions = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
		String log = servesPagesAndClassifiesAPhoto(List.of(prepared.resolve("start.sh").toString()),
				Map.of("JAVA_TOOL_OPTIONS", (toolOptions + " " + strict).strip()), dir);
		assertThat(log).contains("Starting AOT-processed MlPagesApplication");
		// the extracted jar and its cache: about 400 MB per run
		FileSystemUtils.deleteRecursively(prepared);
	}

	/**
	 * A tabular model's ONNX Runtime in the packaged jar: its libraries copied once into
	 * the cache folder and loaded from there, not from the temporary folder (left to
	 * itself, ONNX Runtime copies 22 MB there at every start, keeps them when the process
	 * is killed and an empty folder even when it stops cleanly).
	 */
	@Test
	void onnxRuntimeLoadsItsLibrariesFromTheCacheFolder() throws Exception {
		Path dir = PackagedApp.workDir();
		Path models = Files.createDirectories(dir.resolve("models"));
		Path tabular = Path.of("src/test/resources/tabular/onnx");
		Files.copy(tabular.resolve("pipeline_strings.onnx"), models.resolve("loans.onnx"));
		Files.copy(tabular.resolve("pipeline_strings.yml"), models.resolve("loans.yml"));
		Path tmp = Files.createDirectories(dir.resolve("tmp"));
		List<String> start = new ArrayList<>(PackagedApp.javaJar());
		start.add(1, "-Djava.io.tmpdir=" + tmp);
		start.add("--mlpages.models-dir=" + models);

		PackagedApp app = PackagedApp.start(start, Map.of(), dir, PackagedApp.freePort());
		try {
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(app.uri("/api/v1/models/loans/predictions"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"sex\": \"F\", \"smoker\": \"no\", \"age\": 30}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			try (Stream<Path> left = Files.walk(tmp)) {
				// ONNX Runtime makes its folder there whatever it loads from, and deletes
				// it when the app stops
				assertThat(left.filter(Files::isRegularFile).map(tmp::relativize).map(Path::toString))
					.as("no library of ONNX Runtime's in the temporary folder")
					.noneMatch(name -> name.startsWith("onnxruntime"));
			}
			try (Stream<Path> cached = Files.list(Path.of(PackagedApp.CACHE_DIR))) {
				assertThat(cached.filter(path -> path.getFileName().toString().startsWith("onnxruntime-natives-")))
					.singleElement()
					.satisfies(natives -> assertThat(natives.resolve("libonnxruntime.so")).isNotEmptyFile());
			}
		}
		finally {
			app.close();
		}
		try (Stream<Path> left = Files.list(tmp)) {
			assertThat(left.map(path -> path.getFileName().toString())).as("nothing left once stopped")
				.noneMatch(name -> name.startsWith("onnxruntime"));
		}
		assertThat(app.log()).doesNotContain("not cached", "Exception");
	}

	private static String servesPagesAndClassifiesAPhoto(List<String> start, Map<String, String> environment, Path dir)
			throws Exception {
		PackagedApp app = PackagedApp.start(start, environment, dir, PackagedApp.freePort());
		try {
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> health = http.send(
					HttpRequest.newBuilder(app.uri("/actuator/health/model-states")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(health.body()).contains("\"cat_dog_model\"");

			HttpResponse<String> about = http.send(HttpRequest.newBuilder(app.uri("/about?lang=fr")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(about.statusCode()).isEqualTo(200);
			assertThat(about.body()).contains("Chat ou chien");

			String boundary = "----mlpages" + UUID.randomUUID();
			byte[] body = multipart(boundary, Files.readAllBytes(PHOTO));
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(app.uri("/api/v1/models/cats_vs_dogs/predictions"))
					.header("Content-Type", "multipart/form-data; boundary=" + boundary)
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.body()).contains("\"label\":\"Dog\"");
		}
		finally {
			app.close();
		}
		return app.log();
	}

	private static Path javaHome() {
		return Path.of(System.getProperty("java.home"));
	}

	/**
	 * The Dockerfile's runtime is Java 25 (its AOT cache); the machines have one under
	 * /usr/lib/jvm beside the build's Java 17. Where none is, the build's own JDK and its
	 * AppCDS archive are tested instead.
	 */
	private static Path newestJdk() throws IOException {
		Path jvms = Path.of("/usr/lib/jvm");
		if (!Files.isDirectory(jvms)) {
			return javaHome();
		}
		try (Stream<Path> homes = Files.list(jvms)) {
			Optional<Path> newest = homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
				.filter(home -> featureVersion(home) > 0)
				.max(Comparator.comparingInt(PackagedJarIT::featureVersion));
			return newest.filter(home -> featureVersion(home) > Runtime.version().feature()).orElse(javaHome());
		}
	}

	private static int featureVersion(Path javaHome) {
		try {
			Matcher version = JAVA_VERSION.matcher(Files.readString(javaHome.resolve("release")));
			return version.find() ? Integer.parseInt(version.group(1)) : 0;
		}
		catch (IOException noReleaseFile) {
			return 0;
		}
	}

	private static byte[] multipart(String boundary, byte[] photo) {
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"dog.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[head.length + photo.length + tail.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(photo, 0, all, head.length, photo.length);
		System.arraycopy(tail, 0, all, head.length + photo.length, tail.length);
		return all;
	}

}
