package org.mlpages.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A batch's rows, kept from the moment it is accepted: the cells as the file gave them
 * and, for a refused row, why. A row is done when the log holds a prediction with its
 * batch and position (written in the same commit as the prediction itself, so a row is
 * never scored twice), or when it has its refusal.
 */
@Repository
class BatchRows {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<List<String>> CELLS = new TypeReference<>() {
	};

	private static final TypeReference<LinkedHashMap<String, Double>> PROBABILITIES = new TypeReference<>() {
	};

	private final JdbcTemplate jdbc;

	BatchRows(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A row of the file, numbered from 1 as a spreadsheet numbers the rows under its
	 * header.
	 */
	record Row(int position, List<String> cells) {
	}

	/** A row with what became of it: a prediction, a refusal, or nothing yet. */
	record Result(int position, List<String> cells, String errorsJson, Long predictionId, String label,
			Map<String, Double> probabilities) {

		boolean scored() {
			return predictionId != null;
		}

		boolean refused() {
			return errorsJson != null;
		}

	}

	record Counts(int scored, int refused) {

		int done() {
			return scored + refused;
		}

	}

	void insert(String batchId, List<List<String>> rows) {
		insert(batchId, rows, Map.of());
	}

	/**
	 * @param refused rows refused before any work (a photo over the size limit, say):
	 * why, by position, as JSON
	 */
	void insert(String batchId, List<List<String>> rows, Map<Integer, String> refused) {
		List<Object[]> args = new ArrayList<>(rows.size());
		for (int i = 0; i < rows.size(); i++) {
			args.add(new Object[] { batchId, i + 1, JSON.writeValueAsString(rows.get(i)), refused.get(i + 1) });
		}
		jdbc.batchUpdate("insert into batch_row (batch_id, position, cells_json, errors_json) values (?, ?, ?, ?)",
				args);
	}

	/** The next rows neither scored nor refused, in the file's order. */
	List<Row> pending(String batchId, int limit) {
		return jdbc.query("""
				select r.position, r.cells_json from batch_row r
				where r.batch_id = ? and r.errors_json is null
				  and not exists (select 1 from prediction p where p.batch_id = r.batch_id and p.batch_row = r.position)
				order by r.position limit ?""",
				(rs, n) -> new Row(rs.getInt(1), JSON.readValue(rs.getString(2), CELLS)), batchId, limit);
	}

	void delete(String batchId) {
		jdbc.update("delete from batch_row where batch_id = ?", batchId);
	}

	/** Why each of these rows was refused, by position, as JSON; in one commit. */
	@Transactional
	void refuse(String batchId, Map<Integer, String> errorsJson) {
		List<Object[]> args = new ArrayList<>(errorsJson.size());
		errorsJson.forEach((position, errors) -> args.add(new Object[] { errors, batchId, position }));
		jdbc.batchUpdate("update batch_row set errors_json = ? where batch_id = ? and position = ?", args);
	}

	Counts counts(String batchId) {
		Integer scored = jdbc.queryForObject("select count(*) from prediction where batch_id = ?", Integer.class,
				batchId);
		Integer refused = jdbc.queryForObject(
				"select count(*) from batch_row where batch_id = ? and errors_json is not null", Integer.class,
				batchId);
		return new Counts(scored, refused);
	}

	/** A refused row: its position, its cells, and why, as JSON. */
	record Refused(int position, List<String> cells, String errorsJson) {
	}

	/** The first rows refused, in the file's order. */
	List<Refused> refused(String batchId, int limit) {
		return jdbc.query("""
				select position, cells_json, errors_json from batch_row
				where batch_id = ? and errors_json is not null order by position limit ?""",
				(rs, n) -> new Refused(rs.getInt(1), JSON.readValue(rs.getString(2), CELLS), rs.getString(3)), batchId,
				limit);
	}

	/** Every row with its outcome, in the file's order, read as it streams. */
	void forEachResult(String batchId, Consumer<Result> action) {
		jdbc.query("""
				select r.position, r.cells_json, r.errors_json, p.id, p.label, p.probabilities
				from batch_row r left join prediction p on p.batch_id = r.batch_id and p.batch_row = r.position
				where r.batch_id = ? order by r.position""", rs -> {
			long id = rs.getLong(4);
			Long predictionId = rs.wasNull() ? null : id;
			String probabilities = rs.getString(6);
			action.accept(new Result(rs.getInt(1), JSON.readValue(rs.getString(2), CELLS), rs.getString(3),
					predictionId, rs.getString(5),
					probabilities == null ? Map.of() : JSON.readValue(probabilities, PROBABILITIES)));
		}, batchId);
	}

}
