package org.mlpages.history;

import java.time.ZoneId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The one place that logs predictions, and reads them back for the history page. */
@Service
public class PredictionLog {

	private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("record.createdAt"), Sort.Order.desc("id"));

	private final PredictionRepository repository;

	private final PredictionWriter writer;

	// an array: no iterator per prediction on the API's hot path
	private final PredictionListener[] listeners;

	PredictionLog(PredictionRepository repository, PredictionWriter writer,
			ObjectProvider<PredictionListener> listeners) {
		this.repository = repository;
		this.writer = writer;
		this.listeners = listeners.orderedStream().toArray(PredictionListener[]::new);
	}

	/** Logs the prediction; returns once its row is committed. */
	public Prediction record(PredictionRecord record) {
		long start = System.nanoTime();
		long id = writer.write(record);
		double latencyMs = record.latencyMs() + (System.nanoTime() - start) / 1e6;
		Prediction logged = new Prediction(id, record);
		for (PredictionListener listener : listeners) {
			listener.logged(logged, latencyMs);
		}
		return logged;
	}

	/**
	 * Logs the rows of a batch together; returns once every row is committed. The
	 * listeners are not told: their log line and latencies are a person's request each,
	 * where a batch's rows are one request, which its runner logs once.
	 */
	public long[] recordAll(List<PredictionRecord> records) {
		return writer.writeAll(records);
	}

	@Transactional(readOnly = true)
	public List<Prediction> latest(int count) {
		return repository.findByOrderByRecordCreatedAtDescIdDesc(PageRequest.of(0, count));
	}

	@Transactional(readOnly = true)
	public Optional<Prediction> find(long id) {
		return repository.findById(id);
	}

	/**
	 * Records what a person says the right answer was; returns whether the prediction
	 * exists.
	 */
	@Transactional
	public boolean recordFeedback(long id, String correctLabel) {
		return repository.setFeedback(id, correctLabel) == 1;
	}

	/**
	 * Keeps an explanation computed on request after the answer (where an image model
	 * looked), so it is computed once: {@code json} replaces what is kept if that is
	 * still {@code previous} (null: nothing yet); returns whether it did.
	 */
	@Transactional
	public boolean recordExplanation(long id, String json, String previous) {
		return (previous == null ? repository.setExplanation(id, json)
				: repository.extendExplanation(id, json, previous)) == 1;
	}

	/**
	 * The explanation kept with a prediction as stored now: the prediction the caller
	 * holds was read before it waited for its turn to compute a map.
	 */
	@Transactional(readOnly = true)
	public Optional<String> explanationJson(long id) {
		return repository.explanationJson(id);
	}

	/** One page of the filtered history, newest first. */
	@Transactional(readOnly = true)
	public Page<Prediction> page(HistoryFilter filter, int page, int size, ZoneId zone) {
		return repository.findAll(filter.specification(zone), PageRequest.of(Math.max(0, page), size, NEWEST_FIRST));
	}

	/**
	 * The next {@code limit} rows of the filtered history, newest first, after
	 * {@code last} (null: from the newest). Read slice by slice, a long history is
	 * exported without holding it all, nor a connection while the client downloads.
	 */
	@Transactional(readOnly = true)
	public List<Prediction> newestAfter(HistoryFilter filter, Prediction last, int limit, ZoneId zone) {
		Specification<Prediction> rows = filter.specification(zone);
		if (last != null) {
			// "at or before" bounds the index range the database walks; the rest skips
			// what the previous slice ended with
			rows = rows.and((root, query, cb) -> cb.and(
					cb.lessThanOrEqualTo(root.get("record").get("createdAt"), last.getCreatedAt()),
					cb.or(cb.lessThan(root.get("record").get("createdAt"), last.getCreatedAt()),
							cb.lessThan(root.get("id"), last.getId()))));
		}
		// a list, not a page: a page would count the filtered rows again for every slice
		return repository.findBy(rows, query -> query.sortBy(NEWEST_FIRST).limit(limit).all());
	}

	@Transactional(readOnly = true)
	public List<String> modelNames() {
		return repository.findModelNames();
	}

	@Transactional(readOnly = true)
	public List<String> labels() {
		return repository.findLabels();
	}

	/** Which of these stored photos a prediction row points at. */
	@Transactional(readOnly = true)
	public Set<String> storedFilesAmong(Collection<String> storedFiles) {
		return storedFiles.isEmpty() ? Set.of() : new HashSet<>(repository.findStoredFiles(storedFiles));
	}

	@Transactional(readOnly = true)
	public long count() {
		return repository.count();
	}

}
