package org.mlpages.batch;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface BatchRepository extends JpaRepository<Batch, String> {

	List<Batch> findByStateInOrderByCreatedAt(Collection<Batch.State> states);

}
