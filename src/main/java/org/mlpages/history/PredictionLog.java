package org.mlpages.history;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The one place that writes prediction rows, and reads them back for the history page. */
@Service
public class PredictionLog {

	private static final Logger log = LoggerFactory.getLogger(PredictionLog.class);

	private final PredictionRepository repository;

	PredictionLog(PredictionRepository repository) {
		this.repository = repository;
	}

	@Transactional
	public Prediction record(PredictionRecord record) {
		Prediction saved = repository.save(new Prediction(record));
		log.info("prediction {} model={} label={} latency={}ms", saved.getId(), record.modelName(), record.label(),
				String.format(java.util.Locale.ROOT, "%.1f", record.latencyMs()));
		return saved;
	}

	@Transactional(readOnly = true)
	public List<Prediction> latest(int count) {
		return repository.findByOrderByCreatedAtDescIdDesc(PageRequest.of(0, count));
	}

	@Transactional(readOnly = true)
	public Optional<Prediction> find(long id) {
		return repository.findById(id);
	}

	@Transactional(readOnly = true)
	public long count() {
		return repository.count();
	}

}
