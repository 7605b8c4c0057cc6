package org.mlpages.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.mlpages.history.PredictionRecord.Channel;
import org.mlpages.history.RetentionProperties;
import org.mlpages.web.TestModels;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Old batches go with their rows when the retention period says so, on the real SQLite
 * database; recent ones and unfinished ones stay.
 */
// the web tests' configuration, so that their application context is shared
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mlpages.admin.username=admin", "mlpages.admin.password-hash={noop}test-admin-password" })
@ActiveProfiles("test")
class BatchRetentionTests {

	static {
		TestModels.prepare();
	}

	@Autowired
	BatchService service;

	@Autowired
	BatchRepository batches;

	@Autowired
	BatchRows rows;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void finishedBatchesOlderThanThePeriodGoWithTheirRows() throws Exception {
		String applicant = "checking_status,duration,credit_history,purpose,credit_amount,savings_status,employment,"
				+ "installment_commitment,personal_status,other_parties,residence_since,property_magnitude,age,"
				+ "other_payment_plans,housing,existing_credits,job,num_dependents,own_telephone,foreign_worker\n"
				+ "<0,6,critical/other existing credit,radio/tv,1169,no known savings,>=7,4,male single,none,4,"
				+ "real estate,67,none,own,2,skilled,1,yes,yes\n";
		Batch batch = service.submit("credit", "old.csv", applicant.getBytes(), Channel.API);
		for (int i = 0; i < 100 && !batches.findById(batch.getId()).orElseThrow().getState().isFinished(); i++) {
			Thread.sleep(50);
		}
		Instant inFortyDays = Instant.now().plus(Duration.ofDays(40));

		int kept = new BatchRetention(new RetentionProperties(60), batches, rows, transactions,
				Clock.fixed(inFortyDays, ZoneOffset.UTC))
			.deleteExpired();
		int deleted = new BatchRetention(new RetentionProperties(30), batches, rows, transactions,
				Clock.fixed(inFortyDays, ZoneOffset.UTC))
			.deleteExpired();

		assertThat(kept).isZero();
		assertThat(deleted).isGreaterThanOrEqualTo(1);
		assertThat(batches.findById(batch.getId())).isEmpty();
		assertThat(
				jdbc.queryForObject("select count(*) from batch_row where batch_id = ?", Integer.class, batch.getId()))
			.isZero();
		assertThat(batches.findFinishedBefore(inFortyDays)).doesNotContain(batch.getId());
	}

}
