package org.mlpages.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.web.TestModels;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention job on the real SQLite log: old rows and their photos go, recent ones
 * stay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mlpages.admin.username=admin", "mlpages.admin.password-hash={noop}test-admin-password" })
@ActiveProfiles("test")
class RetentionJobTests {

	static {
		TestModels.prepare();
	}

	@Autowired
	PredictionWriter writer;

	@Autowired
	PredictionRepository repository;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MlPagesProperties properties;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void predictionsOlderThanThePeriodGoWithTheirPhotos() throws Exception {
		String oldFile = UUID.randomUUID() + ".jpg";
		Path oldPhoto = Files.write(properties.uploadsDir().resolve(oldFile), new byte[] { 1, 2, 3 });
		long old = writer.write(row(Instant.now().minus(Duration.ofDays(40)), oldFile));
		long recent = writer.write(row(Instant.now().minus(Duration.ofDays(2)), null));

		int deleted = new RetentionJob(new RetentionProperties(30), repository, transactions, properties)
			.deleteExpired();

		assertThat(deleted).isGreaterThanOrEqualTo(1);
		assertThat(count(old)).isZero();
		assertThat(oldPhoto).doesNotExist();
		assertThat(count(recent)).isOne();
	}

	@Test
	void withNoPeriodNothingIsDeleted() {
		long old = writer.write(row(Instant.now().minus(Duration.ofDays(4000)), null));

		assertThat(new RetentionJob(new RetentionProperties(0), repository, transactions, properties).deleteExpired())
			.isZero();
		assertThat(count(old)).isOne();
	}

	private int count(long id) {
		return jdbc.queryForObject("select count(*) from prediction where id = ?", Integer.class, id);
	}

	private static PredictionRecord row(Instant createdAt, String storedFile) {
		return new PredictionRecord(createdAt, PredictionRecord.IMAGE, PredictionRecord.Channel.API, "retention-test",
				"0".repeat(64), storedFile, "old.jpg", 10, 10, null, "Cat", java.util.Map.of("Cat", 1.0), null, 1, 1,
				null, null, null);
	}

}
