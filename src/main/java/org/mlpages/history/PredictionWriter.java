package org.mlpages.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.mlpages.config.StoredTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes prediction rows with group commit: requests that arrive while a transaction is
 * being committed wait together and go into the next one. Each caller returns only once
 * its own row is committed, so no answer is ever given that the log does not hold, yet
 * SQLite pays one commit for many rows instead of one each.
 */
@Component
class PredictionWriter implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PredictionWriter.class);

	static final int MAX_BATCH = 256;

	private static final long WAIT_SECONDS = 30;

	private final PredictionColumns columns = PredictionColumns.ofRecord();

	private final BlockingQueue<PendingRow> queue = new ArrayBlockingQueue<>(8 * MAX_BATCH);

	private final JdbcTemplate jdbc;

	private volatile Function<Instant, Object> storedTime;

	private volatile Thread writer;

	private volatile boolean running;

	PredictionWriter(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Blocks until the row is committed and returns its id. */
	long write(PredictionRecord record) {
		PendingRow row = new PendingRow(record, new CompletableFuture<>());
		try {
			enqueue(row);
			return row.id().get(WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException | TimeoutException | ExecutionException ex) {
			throw failure(ex);
		}
	}

	/**
	 * Blocks until every row is committed and returns their ids, in order: the rows of a
	 * batch share the writer's transactions instead of waiting for one commit each.
	 */
	long[] writeAll(List<PredictionRecord> records) {
		List<PendingRow> rows = new ArrayList<>(records.size());
		try {
			for (PredictionRecord record : records) {
				PendingRow row = new PendingRow(record, new CompletableFuture<>());
				enqueue(row);
				rows.add(row);
			}
			long[] ids = new long[rows.size()];
			for (int i = 0; i < ids.length; i++) {
				ids[i] = rows.get(i).id().get(WAIT_SECONDS, TimeUnit.SECONDS);
			}
			return ids;
		}
		catch (InterruptedException | TimeoutException | ExecutionException ex) {
			throw failure(ex);
		}
	}

	private void enqueue(PendingRow row) throws InterruptedException {
		if (!running) {
			throw new DataAccessResourceFailureException("the application is stopping");
		}
		if (!queue.offer(row, WAIT_SECONDS, TimeUnit.SECONDS)) {
			throw new DataAccessResourceFailureException("the prediction log is not keeping up");
		}
	}

	/** Why a prediction could not be logged, as the callers' 503 handling takes it. */
	private static DataAccessException failure(Exception ex) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return new DataAccessResourceFailureException("interrupted while logging a prediction", ex);
		}
		if (ex instanceof TimeoutException) {
			return new DataAccessResourceFailureException("the database did not commit the prediction in time", ex);
		}
		if (ex.getCause() instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		return new DataAccessResourceFailureException("cannot log the prediction", ex.getCause());
	}

	private void writeBatches() {
		List<PendingRow> batch = new ArrayList<>(MAX_BATCH);
		while (running || !queue.isEmpty()) {
			try {
				PendingRow first = queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			queue.drainTo(batch, MAX_BATCH - 1);
			commit(batch);
			batch.clear();
		}
		failPending(new DataAccessResourceFailureException("the application is stopping"));
	}

	private void commit(List<PendingRow> batch) {
		try {
			long[] ids = jdbc
				.execute((ConnectionCallback<long[]>) connection -> insertInOneTransaction(connection, batch));
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).id().complete(ids[i]);
			}
		}
		catch (RuntimeException ex) {
			log.error("could not log {} prediction(s): {}", batch.size(), ex.getMessage());
			batch.forEach(row -> row.id().completeExceptionally(ex));
		}
	}

	/**
	 * The transaction is handled on the connection itself: a JPA transaction would open
	 * an entity manager for every batch although nothing here goes through JPA.
	 */
	private long[] insertInOneTransaction(Connection connection, List<PendingRow> batch) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			long[] ids = insert(connection, batch);
			connection.commit();
			return ids;
		}
		catch (SQLException | RuntimeException ex) {
			connection.rollback();
			throw ex;
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	/**
	 * One statement prepared per batch, executed row by row: JDBC batches would be
	 * cheaper still, but sqlite-jdbc returns no generated keys for them (3.50), and every
	 * caller needs its own id. Both drivers hand the key back without a query of ours:
	 * Connector/J from the server's answer, sqlite-jdbc from last_insert_rowid().
	 */
	private long[] insert(Connection connection, List<PendingRow> batch) throws SQLException {
		Function<Instant, Object> time = storedTime(connection);
		long[] ids = new long[batch.size()];
		try (PreparedStatement insert = connection.prepareStatement(columns.insert(),
				Statement.RETURN_GENERATED_KEYS)) {
			for (int i = 0; i < ids.length; i++) {
				columns.bind(insert, batch.get(i).record(), time);
				insert.executeUpdate();
				try (ResultSet keys = insert.getGeneratedKeys()) {
					if (!keys.next()) {
						throw new SQLException("the database returned no id for the inserted prediction");
					}
					ids[i] = keys.getLong(1);
				}
			}
		}
		return ids;
	}

	private Function<Instant, Object> storedTime(Connection connection) throws SQLException {
		Function<Instant, Object> time = storedTime;
		if (time == null) {
			time = StoredTimes.forUrl(connection.getMetaData().getURL());
			storedTime = time;
		}
		return time;
	}

	private void failPending(RuntimeException reason) {
		List<PendingRow> left = new ArrayList<>();
		queue.drainTo(left);
		left.forEach(row -> row.id().completeExceptionally(reason));
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::writeBatches, "prediction-writer");
		thread.setDaemon(true);
		running = true;
		writer = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread = writer;
		writer = null;
		running = false;
		if (thread != null) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return writer != null;
	}

	/**
	 * Stops after the web server (which stops last-started first), so in-flight requests
	 * are logged.
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	private record PendingRow(PredictionRecord record, CompletableFuture<Long> id) {
	}

}
