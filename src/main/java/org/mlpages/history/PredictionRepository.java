package org.mlpages.history;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface PredictionRepository extends Repository<Prediction, Long>, JpaSpecificationExecutor<Prediction> {

	List<Prediction> findByOrderByCreatedAtDescIdDesc(Pageable pageable);

	Optional<Prediction> findById(Long id);

	@Query("select distinct p.modelName from Prediction p order by p.modelName")
	List<String> findModelNames();

	@Query("select distinct p.label from Prediction p order by p.label")
	List<String> findLabels();

	long count();

}
