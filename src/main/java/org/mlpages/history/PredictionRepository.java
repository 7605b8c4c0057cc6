package org.mlpages.history;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.data.repository.Repository;

interface PredictionRepository extends Repository<Prediction, Long>, JpaSpecificationExecutor<Prediction> {

	List<Prediction> findByOrderByRecordCreatedAtDescIdDesc(Pageable pageable);

	Optional<Prediction> findById(Long id);

	@Query("select distinct p.record.modelName from Prediction p order by p.record.modelName")
	List<String> findModelNames();

	@Query("select distinct p.record.label from Prediction p order by p.record.label")
	List<String> findLabels();

	@Modifying
	@Query("update Prediction p set p.feedbackLabel = :label where p.id = :id")
	int setFeedback(@Param("id") long id, @Param("label") String label);

	/** Keeps an explanation computed after the answer, once: the first one stays. */
	@Modifying
	@Query("update Prediction p set p.record.explanationJson = :json where p.id = :id and p.record.explanationJson is null")
	int setExplanation(@Param("id") long id, @Param("json") String json);

	/**
	 * Replaces the explanations kept by more of them, unless someone changed them since
	 * they were read.
	 */
	@Modifying
	@Query("update Prediction p set p.record.explanationJson = :json where p.id = :id and p.record.explanationJson = :previous")
	int extendExplanation(@Param("id") long id, @Param("json") String json, @Param("previous") String previous);

	/** The explanation column alone, as stored now. */
	@Query("select p.record.explanationJson from Prediction p where p.id = :id")
	java.util.Optional<String> explanationJson(@Param("id") long id);

	@Query("select p from Prediction p where p.record.createdAt < :before order by p.id")
	List<Prediction> findOlderThan(@Param("before") java.time.Instant before, Pageable pageable);

	@Modifying
	@Query("delete from Prediction p where p.id in :ids")
	int deleteByIds(@Param("ids") List<Long> ids);

	@Query("select p.record.storedFile from Prediction p where p.record.storedFile in :names")
	List<String> findStoredFiles(@Param("names") Collection<String> names);

	long count();

}
