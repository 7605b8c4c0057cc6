package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.mlpages.cluster.JobLocks;
import org.mlpages.history.PredictionLog;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes the photos no prediction row points at. A photo is stored before its row is
 * committed (a row never names a missing file), so a process killed in between leaves the
 * photo alone, and so does a write cut short (its partial file). Only files older than
 * {@code mlpages.upload.orphan-age} are looked at: a younger one may be a request's, here
 * or on another instance sharing the folder, still waiting for its commit.
 */
@Component
class OrphanedUploads {

	private static final Logger log = LoggerFactory.getLogger(OrphanedUploads.class);

	// a query's IN list stays well under every database's limit on parameters
	private static final int CHUNK = 500;

	private final UploadStore uploads;

	private final PredictionLog predictionLog;

	private final Duration orphanAge;

	private final Clock clock;

	@Autowired
	OrphanedUploads(UploadStore uploads, PredictionLog predictionLog, MlPagesProperties properties) {
		this(uploads, predictionLog, properties.upload().orphanAge(), Clock.systemUTC());
	}

	OrphanedUploads(UploadStore uploads, PredictionLog predictionLog, Duration orphanAge, Clock clock) {
		this.uploads = uploads;
		this.predictionLog = predictionLog;
		this.orphanAge = orphanAge;
		this.clock = clock;
	}

	/**
	 * Once the first photos a killed process left are old enough, then every hour (a
	 * failed delete after a failed commit leaves one too).
	 */
	@Scheduled(initialDelayString = "${mlpages.upload.orphan-age:2m}", fixedDelayString = "PT1H")
	@SchedulerLock(name = "orphaned-uploads", lockAtLeastFor = JobLocks.HOURLY_AT_LEAST,
			lockAtMostFor = JobLocks.HOURLY_AT_MOST)
	public void scheduled() {
		try {
			remove();
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Uploads: could not look for photos without a prediction: {}", ex.getMessage());
		}
	}

	/** Returns how many files were removed. */
	int remove() throws IOException {
		Instant before = clock.instant().minus(orphanAge);
		List<Path> partials = new ArrayList<>();
		List<Path> photos = new ArrayList<>();
		for (Path file : uploads.writtenBefore(before)) {
			(UploadStore.isPartial(file) ? partials : photos).add(file);
		}
		int orphans = 0;
		for (int from = 0; from < photos.size(); from += CHUNK) {
			List<Path> chunk = photos.subList(from, Math.min(photos.size(), from + CHUNK));
			Set<String> logged = predictionLog
				.storedFilesAmong(chunk.stream().map(file -> file.getFileName().toString()).toList());
			for (Path photo : chunk) {
				if (!logged.contains(photo.getFileName().toString()) && delete(photo)) {
					orphans++;
				}
			}
		}
		int cut = (int) partials.stream().filter(OrphanedUploads::delete).count();
		if (orphans + cut > 0) {
			log.info("Uploads: removed {} photo(s) no prediction row points at and {} partly written file(s)", orphans,
					cut);
		}
		return orphans + cut;
	}

	private static boolean delete(Path file) {
		try {
			return Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			log.warn("Uploads: cannot remove {}: {}", file.getFileName(), ex.getMessage());
			return false;
		}
	}

}
