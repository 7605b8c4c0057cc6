package org.mlpages.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of 10,000 credit applications, and one of 300 photos, killed ({@code kill -9})
 * half-way through, then the jar started again on the same folder: the batch goes on by
 * itself from where the log says it stopped, and ends with every row scored or refused
 * exactly once, none twice.
 */
class BatchAcrossARestartIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ROWS = 10_000;

	private final String password = "pw-" + UUID.randomUUID();

	@Test
	void killedHalfWayABatchGoesOnAfterTheRestartAndScoresEachRowOnce() throws Exception {
		Path dir = PackagedApp.workDir();
		int port = PackagedApp.freePort();
		String database = UnderLoadIT.shippedSqliteUrl(dir);
		String location;
		int scoredBeforeTheKill;
		try (PackagedApp app = UnderLoadIT.startAsTheUnitDoes(dir, port, password, database)) {
			HttpResponse<String> accepted = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(app.uri("/api/v1/models/credit/batches"))
					.header("Content-Type", "text/csv")
					.POST(HttpRequest.BodyPublishers.ofString(applications(ROWS)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(accepted.statusCode()).isEqualTo(202);
			location = accepted.headers().firstValue("Location").orElseThrow();
			JsonNode status = status(app, location);
			while (status.get("scored").asInt() < 1000) {
				assertThat(status.get("state").asString()).as("still running").isIn("queued", "running");
				Thread.sleep(20);
				status = status(app, location);
			}
			app.kill();
			scoredBeforeTheKill = status.get("scored").asInt();
		}
		System.out.printf("BatchAcrossARestartIT: killed with %d of %d rows scored%n", scoredBeforeTheKill, ROWS);

		try (PackagedApp app = UnderLoadIT.startAsTheUnitDoes(dir, port, password, database)) {
			long restarted = System.nanoTime();
			JsonNode status = status(app, location);
			for (int i = 0; i < 1200 && !status.get("state").asString().equals("done"); i++) {
				Thread.sleep(100);
				status = status(app, location);
			}
			System.out.printf("BatchAcrossARestartIT: done %.1f s after the restart: %s%n",
					(System.nanoTime() - restarted) / 1e9, status);
			assertThat(status.get("state").asString()).isEqualTo("done");
			assertThat(status.get("scored").asInt() + status.get("refused").asInt()).isEqualTo(ROWS);
			assertThat(status.get("refused").asInt()).isEqualTo(ROWS / 50);
		}
		try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mlpages.db"));
				Statement query = db.createStatement();
				ResultSet counts = query.executeQuery("""
						select count(*), count(distinct batch_row), min(batch_row), max(batch_row)
						from prediction where batch_id = '%s'"""
					.formatted(location.substring(location.lastIndexOf('/') + 1)))) {
			counts.next();
			assertThat(counts.getInt(1)).as("predictions of the batch").isEqualTo(ROWS - ROWS / 50);
			assertThat(counts.getInt(2)).as("rows scored, each once").isEqualTo(ROWS - ROWS / 50);
			assertThat(counts.getInt(3)).isEqualTo(1);
			assertThat(counts.getInt(4)).isEqualTo(ROWS - 1);
		}
	}

	/**
	 * The same for photos: a zip of 300 killed after the first slices, the photos waiting
	 * in the batch's folder; after the restart each is classified once, and the folder is
	 * gone.
	 */
	@Test
	void killedHalfWayABatchOfPhotosGoesOnFromItsFolder() throws Exception {
		Path dir = PackagedApp.workDir();
		int port = PackagedApp.freePort();
		String database = UnderLoadIT.shippedSqliteUrl(dir);
		String location;
		try (PackagedApp app = UnderLoadIT.startAsTheUnitDoes(dir, port, password, database)) {
			HttpResponse<String> accepted = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(app.uri("/api/v1/models/cats_vs_dogs/batches"))
					.header("Content-Type", "application/zip")
					.POST(HttpRequest.BodyPublishers.ofByteArray(photos(PHOTOS)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
			location = accepted.headers().firstValue("Location").orElseThrow();
			JsonNode status = status(app, location);
			while (status.get("scored").asInt() < 32) {
				assertThat(status.get("state").asString()).as("still running").isIn("queued", "running");
				Thread.sleep(20);
				status = status(app, location);
			}
			app.kill();
			System.out.printf("BatchAcrossARestartIT: killed with %d of %d photos scored%n",
					status.get("scored").asInt(), PHOTOS);
		}
		String id = location.substring(location.lastIndexOf('/') + 1);
		Path waiting = dir.resolve("data/batches").resolve(id);
		assertThat(waiting).as("the photos waiting for the restart").isDirectory();

		try (PackagedApp app = UnderLoadIT.startAsTheUnitDoes(dir, port, password, database)) {
			JsonNode status = status(app, location);
			for (int i = 0; i < 1800 && !status.get("state").asString().equals("done"); i++) {
				Thread.sleep(100);
				status = status(app, location);
			}
			assertThat(status.get("state").asString()).isEqualTo("done");
			assertThat(status.get("scored").asInt()).isEqualTo(PHOTOS);
		}
		assertThat(waiting).doesNotExist();
		try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mlpages.db"));
				Statement query = db.createStatement();
				ResultSet counts = query.executeQuery("""
						select count(*), count(distinct batch_row), count(distinct stored_file)
						from prediction where batch_id = '%s'""".formatted(id))) {
			counts.next();
			assertThat(counts.getInt(1)).as("predictions of the batch").isEqualTo(PHOTOS);
			assertThat(counts.getInt(2)).as("photos classified, each once").isEqualTo(PHOTOS);
			assertThat(counts.getInt(3)).as("each with its own stored photo").isEqualTo(PHOTOS);
		}
	}

	private static final int PHOTOS = 300;

	/** The test photos over and over, in a zip, each under its own name. */
	private static byte[] photos(int count) throws java.io.IOException {
		List<Path> photos;
		try (Stream<Path> files = Files.list(Path.of("src/test/resources/photos"))) {
			photos = files.filter(file -> file.toString().endsWith(".jpg")).sorted().toList();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			for (int i = 0; i < count; i++) {
				Path photo = photos.get(i % photos.size());
				zip.putNextEntry(new ZipEntry(i + "-" + photo.getFileName()));
				zip.write(Files.readAllBytes(photo));
				zip.closeEntry();
			}
		}
		return out.toByteArray();
	}

	private static JsonNode status(PackagedApp app, String location) throws Exception {
		return JSON.readTree(HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(app.uri(location)).build(), HttpResponse.BodyHandlers.ofString())
			.body());
	}

	/** Applications, every 50th one aged 12 (refused). */
	static String applications(int count) {
		StringBuilder out = new StringBuilder("checking_status,duration,credit_history,purpose,credit_amount,"
				+ "savings_status,employment,installment_commitment,personal_status,other_parties,residence_since,"
				+ "property_magnitude,age,other_payment_plans,housing,existing_credits,job,num_dependents,"
				+ "own_telephone,foreign_worker\n");
		for (int i = 1; i <= count; i++) {
			out.append("<0,")
				.append(6 + i % 40)
				.append(",critical/other existing credit,radio/tv,")
				.append(1000 + 3 * i % 9000)
				.append(",no known savings,>=7,4,male single,none,4,real estate,")
				.append(i % 50 == 0 ? 12 : 20 + i % 50)
				.append(",none,own,2,skilled,1,yes,yes\n");
		}
		return out.toString();
	}

}
