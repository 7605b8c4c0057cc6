package org.mlpages.batch;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/**
 * The batches. A batch's state changes by one update statement each, never by reading and
 * saving the entity: on SQLite a transaction that reads and then writes fails when
 * another connection wrote in between, and the prediction log writes all the time.
 */
interface BatchRepository extends JpaRepository<Batch, String> {

	List<Batch> findByStateInOrderByCreatedAt(Collection<Batch.State> states);

	@Transactional
	@Modifying
	@Query("update Batch b set b.state = :state, b.finishedAt = :finishedAt, b.failure = :failure where b.id = :id")
	void changeState(String id, Batch.State state, Instant finishedAt, String failure);

	@Query("select b.id from Batch b where b.createdAt < :before and b.state in :states")
	List<String> findIdsCreatedBefore(Instant before, Collection<Batch.State> states);

	default List<String> findFinishedBefore(Instant before) {
		return findIdsCreatedBefore(before, List.of(Batch.State.DONE, Batch.State.FAILED));
	}

	@Modifying
	@Query("delete from Batch b where b.id = :id")
	void deleteBatch(String id);

	default void markRunning(String id) {
		changeState(id, Batch.State.RUNNING, null, null);
	}

	default void markDone(String id, Instant at) {
		changeState(id, Batch.State.DONE, at, null);
	}

	default void markFailed(String id, Instant at, String why) {
		changeState(id, Batch.State.FAILED, at, why);
	}

}
