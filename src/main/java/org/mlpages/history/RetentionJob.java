package org.mlpages.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.mlpages.cluster.JobLocks;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes predictions older than the retention period, with their uploaded photos, every
 * hour and once shortly after start-up. Works in batches so a first run on a large
 * history does not hold a long lock.
 */
@Component
public class RetentionJob {

	private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

	private static final int BATCH = 500;

	private final RetentionProperties retention;

	private final PredictionRepository repository;

	private final TransactionTemplate transactions;

	private final Path uploadsDir;

	private final Clock clock;

	RetentionJob(RetentionProperties retention, PredictionRepository repository, TransactionTemplate transactions,
			MlPagesProperties properties) {
		this.retention = retention;
		this.repository = repository;
		this.transactions = transactions;
		this.uploadsDir = properties.uploadsDir().toAbsolutePath().normalize();
		this.clock = Clock.systemUTC();
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
	@SchedulerLock(name = "prediction-retention", lockAtLeastFor = JobLocks.HOURLY_AT_LEAST,
			lockAtMostFor = JobLocks.HOURLY_AT_MOST)
	public void scheduled() {
		deleteExpired();
	}

	/** Returns how many predictions were deleted. */
	public int deleteExpired() {
		if (retention.keepsForever()) {
			return 0;
		}
		Instant before = clock.instant().minus(Duration.ofDays(retention.days()));
		int deleted = 0;
		while (true) {
			List<Prediction> expired = repository.findOlderThan(before, PageRequest.of(0, BATCH));
			if (expired.isEmpty()) {
				break;
			}
			List<Long> ids = expired.stream().map(Prediction::getId).toList();
			transactions.executeWithoutResult(status -> repository.deleteByIds(ids));
			expired.stream().map(Prediction::getStoredFile).filter(Objects::nonNull).forEach(this::deleteUpload);
			deleted += ids.size();
		}
		if (deleted > 0) {
			log.info("Retention: deleted {} prediction(s) older than {} days, with their uploads", deleted,
					retention.days());
		}
		return deleted;
	}

	private void deleteUpload(String storedFile) {
		Path file = uploadsDir.resolve(storedFile).normalize();
		if (!file.startsWith(uploadsDir)) {
			return;
		}
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			log.warn("Retention: cannot delete {}: {}", file, ex.getMessage());
		}
	}

}
