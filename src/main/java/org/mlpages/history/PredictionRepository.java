package org.mlpages.history;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.Repository;

interface PredictionRepository extends Repository<Prediction, Long> {

	List<Prediction> findByOrderByCreatedAtDescIdDesc(Pageable pageable);

	Optional<Prediction> findById(Long id);

	long count();

}
