package org.mlpages.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mlpages.deploy.RequiredTool;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uploads folder full, then read-only, under the packaged jar: a photo gets a 503
 * that says so in the reader's language, no partial file is left and no row written, the
 * operator's log says why, the rest of the app (credit decisions, pages) answers, and
 * photos are taken again as soon as there is room. The folder is a small tmpfs the test
 * mounts (root only; CI sets {@code MLPAGES_REQUIRE_MOUNT=1}).
 */
class UploadsFolderFaultsIT {

	private static final Path PHOTO = Path.of("src/test/resources/photos/nasser0111_cat.jpg");

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aFullOrReadOnlyUploadsFolderRefusesPhotosClearlyAndTheRestServes() throws Exception {
		Path dir = PackagedApp.workDir();
		Path uploads = Files.createDirectories(dir.resolve("uploads"));
		RequiredTool.assume(mount(List.of("-t", "tmpfs", "-o", "size=1m", "tmpfs", uploads.toString())),
				"MLPAGES_REQUIRE_MOUNT", "cannot mount a tmpfs (the test needs root)");
		try (PackagedApp app = UnitStart.prepared().start(dir, PackagedApp.freePort())) {
			Path db = dir.resolve("mlpages.db");
			Path filler = fill(uploads);

			assertRefused(app, db, "The photo could not be kept on the server (its storage is full or read-only)",
					"La photo n’a pas pu être gardée sur le serveur");
			assertThat(filesIn(uploads)).as("no partial file").containsExactly(filler.getFileName().toString());
			assertThat(get(app, "/about").statusCode()).isEqualTo(200);
			assertThat(app.log()).contains("cannot keep an uploaded photo in the uploads folder");

			Files.delete(filler);
			assertThat(mount(List.of("-o", "remount,ro", uploads.toString()))).isTrue();
			assertRefused(app, db, "full or read-only", "plein ou en lecture seule");

			assertThat(mount(List.of("-o", "remount,rw", uploads.toString()))).isTrue();
			assertThat(photo(app, "/api/v1/models/cat_dog_model/predictions", "en").statusCode())
				.as("photos taken again once there is room")
				.isEqualTo(200);
			assertThat(filesIn(uploads)).hasSize(1);
		}
		finally {
			umount(uploads);
		}
	}

	/**
	 * The API and the page in French refuse it, no row is written, and credit decisions
	 * go on.
	 */
	private void assertRefused(PackagedApp app, Path db, String english, String french) throws Exception {
		long rows = UnderLoadIT.rows(db);
		HttpResponse<String> api = photo(app, "/api/v1/models/cat_dog_model/predictions", "en");
		assertThat(api.statusCode()).isEqualTo(503);
		assertThat(api.headers().firstValue("Retry-After")).isPresent();
		assertThat(api.body()).contains(english);
		HttpResponse<String> page = photo(app, "/image/cat_dog_model?_csrf=" + csrf(app), "fr");
		assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
		assertThat(page.body()).contains(french).doesNotContain("Exception", "at org.");
		assertThat(UnderLoadIT.rows(db)).as("no row").isEqualTo(rows);
		assertThat(creditDecision(app).statusCode()).as("credit decisions go on").isEqualTo(200);
	}

	private String session;

	private String csrf(PackagedApp app) throws Exception {
		HttpResponse<String> login = http.send(HttpRequest.newBuilder(app.uri("/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		session = login.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';'))).orElseThrow();
		java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"")
			.matcher(login.body());
		assertThat(token.find()).isTrue();
		return token.group(1);
	}

	private HttpResponse<String> photo(PackagedApp app, String path, String language) throws Exception {
		String boundary = "----" + UUID.randomUUID();
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"cat.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Accept-Language", language)
			.POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
					HttpRequest.BodyPublishers.ofFile(PHOTO), HttpRequest.BodyPublishers.ofByteArray(tail)));
		if (!path.startsWith("/api/")) {
			request.header("Cookie", session);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> creditDecision(PackagedApp app) throws Exception {
		return http.send(HttpRequest.newBuilder(app.uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofFile(Path.of("src/test/resources/credit/applicant.json")))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(PackagedApp app, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Zeros until the file system says it is full. */
	private static Path fill(Path uploads) throws IOException {
		Path filler = uploads.resolve("filler");
		try (OutputStream out = Files.newOutputStream(filler)) {
			byte[] block = new byte[4096];
			while (true) {
				out.write(block);
			}
		}
		catch (IOException full) {
			assertThat(full.getMessage()).contains("No space left");
		}
		return filler;
	}

	private static List<String> filesIn(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(file -> file.getFileName().toString()).sorted().toList();
		}
	}

	private static boolean mount(List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of("mount"));
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException noMount) {
			return false;
		}
	}

	private static void umount(Path dir) throws Exception {
		new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
	}

}
