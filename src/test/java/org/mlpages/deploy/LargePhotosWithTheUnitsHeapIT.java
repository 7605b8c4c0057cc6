package org.mlpages.deploy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.mlpages.image.photo.EnlargedPhoto;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar started as the service unit starts it (its 192 MB heap, and
 * {@code ExitOnOutOfMemoryError}) takes photos of the most pixels accepted, two at once:
 * decoded whole, one such photo ran the heap out and ended the service.
 */
class LargePhotosWithTheUnitsHeapIT {

	private static final Path PHOTO = Path.of("src/test/resources/photos/cdf_validation_dog.2000.jpg");

	private int width;

	private int height;

	@Test
	void twoFortyMegapixelPhotosAtOnceAreAnsweredAndTheServiceStaysUp() throws Exception {
		UnitStart unit = UnitStart.prepared();
		assertThat(unit.environment().get("JAVA_OPTS")).contains("-Xmx192m", "-XX:+ExitOnOutOfMemoryError");
		byte[] photo = enlargedTo40Megapixels(PHOTO);

		PackagedApp app = unit.start(PackagedApp.workDir(), PackagedApp.freePort());
		try {
			HttpClient http = HttpClient.newHttpClient();
			List<CompletableFuture<HttpResponse<String>>> answers = List.of(post(http, app, photo),
					post(http, app, photo));
			for (CompletableFuture<HttpResponse<String>> answer : answers) {
				HttpResponse<String> response = answered(answer, app);
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(response.body()).contains("\"label\":\"Dog\"")
					.contains("\"width\":" + width)
					.contains("\"height\":" + height);
			}
			assertStillServing(http, app, photo);
		}
		finally {
			app.close();
		}
	}

	/**
	 * A hundred such photos at once, each a "motion photo" of 9 MB (the JPEG followed by
	 * its video, as phones save them), hold several times the heap as bytes alone: they
	 * take turns within the budget for photos in memory, those that find no room in time
	 * are told to come back, and the service stays up.
	 */
	@Test
	void aHundredLargePhotosAtOnceAreEachAnsweredOrToldToComeBackAndTheServiceStaysUp() throws Exception {
		UnitStart unit = UnitStart.prepared();
		byte[] jpeg = enlargedTo40Megapixels(PHOTO);
		byte[] video = new byte[9_000_000 - jpeg.length];
		new Random(16).nextBytes(video);
		byte[] photo = Arrays.copyOf(jpeg, jpeg.length + video.length);
		System.arraycopy(video, 0, photo, jpeg.length, video.length);
		int crowd = 100;
		assertThat((long) photo.length * crowd).as("the uploads' bytes against the 192 MB heap")
			.isGreaterThan(4L * 192 * 1024 * 1024);

		PackagedApp app = unit.start(PackagedApp.workDir(), PackagedApp.freePort());
		try {
			HttpClient http = HttpClient.newHttpClient();
			// a hundred senders, as a hundred phones are, not one client
			// writing a hundred uploads from its one thread: on a busy machine
			// that thread left a connection without its first byte past
			// Tomcat's 15 s, which then closed it (seen twice in full runs)
			List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < crowd; i++) {
				answers.add(post(HttpClient.newHttpClient(), app, photo));
			}
			int answered = 0;
			int busy = 0;
			for (CompletableFuture<HttpResponse<String>> answer : answers) {
				HttpResponse<String> response = answered(answer, app);
				if (response.statusCode() == 200) {
					assertThat(response.body()).contains("\"label\":\"Dog\"");
					answered++;
				}
				else {
					assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
					assertThat(response.body()).contains("\"code\":\"busy\"");
					assertThat(response.headers().firstValue("Retry-After")).contains("5");
					busy++;
				}
			}
			assertThat(answered + busy).isEqualTo(crowd);
			assertThat(answered).isPositive();
			assertStillServing(http, app, photo);
		}
		finally {
			app.close();
		}
	}

	/** Still there, still answering, and never out of memory. */
	private static void assertStillServing(HttpClient http, PackagedApp app, byte[] photo)
			throws IOException, InterruptedException {
		HttpResponse<String> health = http.send(
				HttpRequest.newBuilder(app.uri("/actuator/health/model-states")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(answered(post(http, app, photo), app).statusCode()).isEqualTo(200);
		assertThat(app.log()).doesNotContain("OutOfMemoryError");
	}

	/** The answer, or a failure that shows how the app's log ends (where it died). */
	private static HttpResponse<String> answered(CompletableFuture<HttpResponse<String>> answer, PackagedApp app)
			throws IOException, InterruptedException {
		try {
			return answer.get();
		}
		catch (ExecutionException ex) {
			String log = app.log();
			throw new AssertionError("no answer (" + ex.getCause() + "); the app's log ends:\n"
					+ log.substring(Math.max(0, log.length() - 2000)), ex);
		}
	}

	/** The photo enlarged to just under 40 megapixels: a JPEG of a few MB. */
	private byte[] enlargedTo40Megapixels(Path file) throws IOException {
		EnlargedPhoto large = EnlargedPhoto.of(ImageIO.read(file.toFile()), 39_900_000);
		width = large.width();
		height = large.height();
		assertThat(large.jpeg().length).as("within the 10 MB upload limit").isLessThan(10_000_000);
		return large.jpeg();
	}

	private static CompletableFuture<HttpResponse<String>> post(HttpClient http, PackagedApp app, byte[] photo) {
		String boundary = "----mlpages" + UUID.randomUUID();
		byte[] head = ("--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"large.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		return http.sendAsync(HttpRequest.newBuilder(app.uri("/api/v1/models/cats_vs_dogs/predictions"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
					HttpRequest.BodyPublishers.ofByteArray(photo), HttpRequest.BodyPublishers.ofByteArray(tail)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
