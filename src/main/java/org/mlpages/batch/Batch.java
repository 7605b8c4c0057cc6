package org.mlpages.batch;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * Cases or photos scored by one model: who sent them, from where, how many rows, and
 * where the batch stands. Its rows are {@link BatchRows}; each scored row is a prediction
 * of the log carrying the batch's id. The id is random and long: whoever holds the
 * batch's address may follow it and download its results, as the person who sent it can
 * from another browser.
 */
@Entity
@Table(name = "batch")
public class Batch implements Persistable<String> {

	/**
	 * Where a batch stands. A batch accepted and not finished is resumed after a restart.
	 */
	public enum State {

		QUEUED, RUNNING, DONE, FAILED;

		public boolean isFinished() {
			return this == DONE || this == FAILED;
		}

	}

	/**
	 * What a batch holds: a file of cases for a tabular model, or photos for an image
	 * model.
	 */
	public enum Kind {

		CASES, PHOTOS

	}

	@Id
	private String id;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private Kind kind;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	@Column(name = "finished_at")
	private Instant finishedAt;

	@Column(name = "model_name", nullable = false)
	private String modelName;

	@Column(nullable = false)
	private String channel;

	@Column(name = "original_name")
	private String originalName;

	/** The file's header as it was sent, as a JSON array. */
	@Column(name = "columns_json", nullable = false, columnDefinition = "TEXT")
	private String columnsJson;

	@Column(nullable = false)
	private int total;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false)
	private State state;

	/** Why a batch stopped before its end, in English, for the log and the operator. */
	private String failure;

	/** The instance running it ({@link BatchRunner}), while it does. */
	private String runner;

	/** Until when that instance's claim holds, in milliseconds since 1970. */
	@Column(name = "lease_until")
	private Long leaseUntil;

	/**
	 * Its id is given, not generated: without this, saving a new batch would first read
	 * it, and a transaction that reads and then writes fails on SQLite when another
	 * connection wrote in between (the prediction log writes all the time).
	 */
	@Transient
	private boolean isNew;

	protected Batch() {
	}

	Batch(String id, Kind kind, Instant createdAt, String modelName, String channel, String originalName,
			String columnsJson, int total) {
		this.id = id;
		this.kind = kind;
		this.createdAt = createdAt;
		this.modelName = modelName;
		this.channel = channel;
		this.originalName = originalName;
		this.columnsJson = columnsJson;
		this.total = total;
		this.state = State.QUEUED;
		this.isNew = true;
	}

	@Override
	public boolean isNew() {
		return isNew;
	}

	@PostPersist
	@PostLoad
	void stored() {
		isNew = false;
	}

	public String getId() {
		return id;
	}

	public Kind getKind() {
		return kind;
	}

	public boolean isPhotos() {
		return kind == Kind.PHOTOS;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public Instant getFinishedAt() {
		return finishedAt;
	}

	public String getModelName() {
		return modelName;
	}

	public String getChannel() {
		return channel;
	}

	public String getOriginalName() {
		return originalName;
	}

	String getColumnsJson() {
		return columnsJson;
	}

	public int getTotal() {
		return total;
	}

	public State getState() {
		return state;
	}

	public String getFailure() {
		return failure;
	}

}
