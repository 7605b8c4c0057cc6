package org.mlpages.reliability;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model file damaged under the running app (a copy cut short, a disk error): the app
 * keeps serving the model it loaded, and at the next start says which model is broken and
 * why, on the About page and in health's model states, and serves the others.
 */
class ModelFileFaultsIT {

	private static final Path PHOTO = Path.of("src/test/resources/photos/nasser0111_dog.jpg");

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aModelFileCutShortWhileServingFailsAloneAtTheNextStartAndSaysWhy() throws Exception {
		Path dir = PackagedApp.workDir();
		Path models = copyOfTheShippedModels(dir.resolve("models"));
		int port = PackagedApp.freePort();
		UnitStart unit = UnitStart.prepared().with("--mlpages.models-dir=" + models);

		try (PackagedApp app = unit.start(dir, port)) {
			Path file = models.resolve("cats_vs_dogs.h5");
			byte[] whole = Files.readAllBytes(file);
			Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

			assertThat(photo(app, "cats_vs_dogs").statusCode()).as("the model it loaded still answers").isEqualTo(200);
		}

		try (PackagedApp again = unit.start(dir, port)) {
			String states = get(again, "/actuator/health/model-states").body();
			String about = get(again, "/about").body();

			assertThat(states).contains("\"cats_vs_dogs\":{\"status\":\"FAILED\"")
				.contains("\"cat_dog_model\":{\"status\":\"READY\"")
				.contains("\"credit\":{\"status\":\"READY\"");
			assertThat(about).contains("cats_vs_dogs.h5");
			assertThat(photo(again, "cat_dog_model").statusCode()).as("the others serve").isEqualTo(200);
			assertThat(photo(again, "cats_vs_dogs").statusCode()).as("the broken one is not served").isEqualTo(404);
			assertThat(again.log()).contains("cats_vs_dogs");
		}
	}

	private HttpResponse<String> photo(PackagedApp app, String model) throws Exception {
		String boundary = "----model-file-faults";
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"dog.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n")
			.getBytes();
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
		return http.send(HttpRequest.newBuilder(app.uri("/api/v1/models/" + model + "/predictions"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
					HttpRequest.BodyPublishers.ofFile(PHOTO), HttpRequest.BodyPublishers.ofByteArray(tail)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(PackagedApp app, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Path copyOfTheShippedModels(Path target) throws IOException {
		Files.createDirectories(target);
		try (Stream<Path> files = Files.list(Path.of("models"))) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Files.copy(file, target.resolve(file.getFileName()));
			}
		}
		return target;
	}

}
