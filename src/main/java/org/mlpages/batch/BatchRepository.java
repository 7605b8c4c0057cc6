package org.mlpages.batch;

import java.time.Duration;
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

	/**
	 * Claims a batch still to be scored for one instance, or renews its claim: it is
	 * given when nobody holds it, or that instance does, or the holder's claim ran out.
	 * @return whether the caller now holds it
	 */
	default boolean claim(String id, String runner, Instant now, Duration lease) {
		return claim(id, runner, now.plus(lease).toEpochMilli(), now.toEpochMilli(),
				List.of(Batch.State.QUEUED, Batch.State.RUNNING)) == 1;
	}

	@Transactional
	@Modifying
	@Query("update Batch b set b.runner = :runner, b.leaseUntil = :until where b.id = :id and b.state in :open"
			+ " and (b.runner is null or b.runner = :runner or b.leaseUntil < :now)")
	int claim(String id, String runner, long until, long now, Collection<Batch.State> open);

	/**
	 * The batches to be scored that no instance holds, oldest first: not yet started, or
	 * whose instance stopped renewing its claim.
	 */
	default List<String> findUnclaimed(Instant now) {
		return findUnclaimed(now.toEpochMilli(), List.of(Batch.State.QUEUED, Batch.State.RUNNING));
	}

	@Query("select b.id from Batch b where b.state in :open and (b.runner is null or b.leaseUntil < :now)"
			+ " order by b.createdAt")
	List<String> findUnclaimed(long now, Collection<Batch.State> open);

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
