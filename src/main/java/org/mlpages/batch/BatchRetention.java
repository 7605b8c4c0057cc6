package org.mlpages.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.mlpages.cluster.JobLocks;
import org.mlpages.history.RetentionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes finished batches older than the retention period
 * ({@code mlpages.retention.days}) with their rows, as the history's retention deletes
 * their predictions: a batch is older than each of its predictions, so it goes first and
 * never shows rows whose predictions are gone as waiting.
 */
@Component
class BatchRetention {

	private static final Logger log = LoggerFactory.getLogger(BatchRetention.class);

	private final RetentionProperties retention;

	private final BatchRepository batches;

	private final BatchRows rows;

	private final TransactionTemplate transactions;

	private final Clock clock;

	@Autowired
	BatchRetention(RetentionProperties retention, BatchRepository batches, BatchRows rows,
			TransactionTemplate transactions) {
		this(retention, batches, rows, transactions, Clock.systemUTC());
	}

	BatchRetention(RetentionProperties retention, BatchRepository batches, BatchRows rows,
			TransactionTemplate transactions, Clock clock) {
		this.retention = retention;
		this.batches = batches;
		this.rows = rows;
		this.transactions = transactions;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
	@SchedulerLock(name = "batch-retention", lockAtLeastFor = JobLocks.HOURLY_AT_LEAST,
			lockAtMostFor = JobLocks.HOURLY_AT_MOST)
	public void scheduled() {
		deleteExpired();
	}

	/** Returns how many batches were deleted. */
	int deleteExpired() {
		if (retention.keepsForever()) {
			return 0;
		}
		Instant before = clock.instant().minus(Duration.ofDays(retention.days()));
		List<String> expired = batches.findFinishedBefore(before);
		for (String id : expired) {
			// the rows first, each transaction starting with a write
			transactions.executeWithoutResult(status -> {
				rows.delete(id);
				batches.deleteBatch(id);
			});
		}
		if (!expired.isEmpty()) {
			log.info("Retention: deleted {} batch(es) older than {} days, with their rows", expired.size(),
					retention.days());
		}
		return expired.size();
	}

}
