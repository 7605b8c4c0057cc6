package org.mlpages.jar;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar Maven packaged, started as an operator starts it (a separate JVM, from the
 * folder that holds {@code models/}), in Spring's ahead-of-time mode: the bean
 * definitions generated at build time replace the scanning, which only a packaged run
 * exercises. It must serve the pages and classify a photo like the app the other tests
 * start.
 */
class PackagedJarIT {

	private static final Path PHOTO = Path.of("src/test/resources/photos/cdf_validation_dog.2000.jpg");

	@Test
	void theJarStartedInAotModeServesPagesAndClassifiesAPhoto() throws Exception {
		Path jar;
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			jar = files.filter(f -> f.getFileName().toString().matches("mlpages-.*\\.jar")).findFirst().orElseThrow();
		}
		Path dir = Files.createDirectories(Path.of("target/packaged-jar-it", UUID.randomUUID().toString()));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dspring.aot.enabled=true",
						"-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
						"--mlpages.data-dir=" + dir.resolve("data"), "--mlpages.uploads-dir=" + dir.resolve("uploads"),
						// natives and converted models as the other tests left them
						"--mlpages.cache-dir=target/test-cache",
						"--spring.datasource.url=jdbc:sqlite:" + dir.resolve("mlpages.db")));
		Process app = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("app.log").toFile())
			.start();
		try {
			HttpClient http = HttpClient.newHttpClient();
			URI base = URI.create("http://127.0.0.1:" + port);
			HttpResponse<String> health = waitForHealth(http, base, app, dir.resolve("app.log"));
			assertThat(health.body()).contains("\"cat_dog_model\"");

			HttpResponse<String> about = http.send(HttpRequest.newBuilder(base.resolve("/?lang=fr")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(about.statusCode()).isEqualTo(200);
			assertThat(about.body()).contains("Chat ou chien");

			String boundary = "----mlpages" + UUID.randomUUID();
			byte[] body = multipart(boundary, Files.readAllBytes(PHOTO));
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(base.resolve("/api/v1/models/cats_vs_dogs/predictions"))
					.header("Content-Type", "multipart/form-data; boundary=" + boundary)
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.body()).contains("\"label\":\"Dog\"");
		}
		finally {
			app.destroy();
			if (!app.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				app.destroyForcibly();
			}
		}
	}

	private static HttpResponse<String> waitForHealth(HttpClient http, URI base, Process app, Path log)
			throws IOException, InterruptedException {
		Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
		while (Instant.now().isBefore(giveUp)) {
			if (!app.isAlive()) {
				throw new AssertionError("the app stopped:\n" + Files.readString(log));
			}
			try {
				HttpResponse<String> health = http.send(
						HttpRequest.newBuilder(base.resolve("/actuator/health/model-states")).build(),
						HttpResponse.BodyHandlers.ofString());
				// the image models load in the background: 503 until each has loaded
				if (health.statusCode() == 200) {
					return health;
				}
			}
			catch (IOException notListeningYet) {
				// the server is still starting
			}
			Thread.sleep(250);
		}
		throw new AssertionError("the app did not become healthy in 3 minutes:\n" + Files.readString(log));
	}

	private static byte[] multipart(String boundary, byte[] photo) {
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"dog.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
		byte[] all = new byte[head.length + photo.length + tail.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(photo, 0, all, head.length, photo.length);
		System.arraycopy(tail, 0, all, head.length + photo.length, tail.length);
		return all;
	}

}
