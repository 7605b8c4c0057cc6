package org.mlpages.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mlpages.history.PredictionLog;
import org.mlpages.history.PredictionRecord;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.web.TestModels;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a process killed in the middle of an upload leaves in the uploads folder, on the
 * real SQLite log: a photo with no row and a partly written file go once they are old
 * enough; a photo with its row, a photo still young enough to be waiting for its commit
 * and a file the store did not write stay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mlpages.admin.username=admin", "mlpages.admin.password-hash={noop}test-admin-password" })
@ActiveProfiles("test")
class OrphanedUploadsTests {

	static {
		TestModels.prepare();
	}

	@Autowired
	UploadStore uploads;

	@Autowired
	PredictionLog predictionLog;

	@Autowired
	MlPagesProperties properties;

	@Test
	void photosNoRowPointsAtGoOnceOldEnoughAndTheRestStays() throws Exception {
		Instant now = Instant.now();
		Path logged = stored(now.minus(Duration.ofMinutes(10)));
		// a row as the reference model writes it: the history pages show its labels in
		// the reader's language
		predictionLog.record(PredictionRecord.image(Channel.API, TestModels.REFERENCE, "sha",
				logged.getFileName().toString(), "cat.jpg", 64, 64, "Cat", Map.of("Cat", 0.9, "Dog", 0.1), 1.0, 2.0));
		Path orphan = stored(now.minus(Duration.ofMinutes(10)));
		Path young = stored(now.minus(Duration.ofSeconds(30)));
		Path partial = aged(
				Files.write(uploadsDir().resolve(".upload-" + orphan.getFileName() + "x.part"), new byte[] { 1 }),
				now.minus(Duration.ofMinutes(10)));
		Path someoneElses = aged(Files.write(uploadsDir().resolve("README.txt"), new byte[] { 1 }),
				now.minus(Duration.ofDays(10)));

		int removed = new OrphanedUploads(uploads, predictionLog, Duration.ofMinutes(2),
				Clock.fixed(now, ZoneOffset.UTC))
			.remove();

		assertThat(orphan).doesNotExist();
		assertThat(partial).doesNotExist();
		assertThat(removed).isGreaterThanOrEqualTo(2);
		assertThat(logged).as("the photo of a logged prediction").exists();
		assertThat(young).as("a photo that may still be waiting for its row").exists();
		assertThat(someoneElses).as("a file the store did not write").exists();
		Files.delete(someoneElses);
		Files.delete(young);
	}

	private Path stored(Instant modified) throws Exception {
		String name = uploads.save(new byte[] { (byte) 0xff, (byte) 0xd8, (byte) 0xff }, "jpeg");
		return aged(uploadsDir().resolve(name), modified);
	}

	private static Path aged(Path file, Instant modified) throws Exception {
		Files.setLastModifiedTime(file, FileTime.from(modified));
		return file;
	}

	private Path uploadsDir() {
		return properties.uploadsDir().toAbsolutePath();
	}

}
