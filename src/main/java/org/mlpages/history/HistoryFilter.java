package org.mlpages.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;

import org.mlpages.history.PredictionRecord.Channel;

import org.springframework.data.jpa.domain.Specification;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the history is narrowed to: a model, an answer (a label, or a credit decision), a
 * range of days, both ends included, in the server's time zone, where the requests came
 * from (the page, the API, the demo's samples), and a batch. Empty fields narrow nothing.
 */
public record HistoryFilter(String model, String label, @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
		@DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to, String channel, String batch) {

	Specification<Prediction> specification(ZoneId zone) {
		return (root, query, cb) -> {
			Path<PredictionRecord> row = root.get("record");
			List<Predicate> predicates = new ArrayList<>();
			if (hasText(model)) {
				predicates.add(cb.equal(row.get("modelName"), model));
			}
			if (hasText(label)) {
				predicates.add(cb.equal(row.get("label"), label));
			}
			if (hasText(channel)) {
				predicates.add(channelNamed(channel).map(known -> cb.equal(row.get("channel"), known))
					.orElseGet(cb::disjunction));
			}
			if (hasText(batch)) {
				predicates.add(cb.equal(row.get("batchId"), batch));
			}
			if (from != null) {
				predicates.add(cb.greaterThanOrEqualTo(row.get("createdAt"), from.atStartOfDay(zone).toInstant()));
			}
			if (to != null) {
				predicates.add(cb.lessThan(row.get("createdAt"), to.plusDays(1).atStartOfDay(zone).toInstant()));
			}
			return cb.and(predicates.toArray(Predicate[]::new));
		};
	}

	/** A channel's name as the history's links carry it; none matches no row. */
	private static Optional<Channel> channelNamed(String name) {
		return Arrays.stream(Channel.values()).filter(known -> known.key().equals(name)).findFirst();
	}

	/**
	 * The same filter as an SQL condition on the prediction table, for the queries that
	 * count rather than read rows: its values are appended to {@code args}, instants as
	 * {@code time} binds them for the database at hand.
	 */
	String sqlCondition(ZoneId zone, Function<Instant, Object> time, List<Object> args) {
		List<String> conditions = new ArrayList<>();
		if (hasText(model)) {
			conditions.add("model_name = ?");
			args.add(model);
		}
		if (hasText(label)) {
			conditions.add("label = ?");
			args.add(label);
		}
		if (hasText(channel)) {
			conditions.add("channel = ?");
			args.add(channel);
		}
		if (hasText(batch)) {
			conditions.add("batch_id = ?");
			args.add(batch);
		}
		if (from != null) {
			conditions.add("created_at >= ?");
			args.add(time.apply(from.atStartOfDay(zone).toInstant()));
		}
		if (to != null) {
			conditions.add("created_at < ?");
			args.add(time.apply(to.plusDays(1).atStartOfDay(zone).toInstant()));
		}
		return conditions.isEmpty() ? "1 = 1" : String.join(" AND ", conditions);
	}

	/** The same filter as query parameters, for paging and export links. */
	public String query() {
		UriComponentsBuilder builder = UriComponentsBuilder.newInstance();
		if (hasText(model)) {
			builder.queryParam("model", model);
		}
		if (hasText(label)) {
			builder.queryParam("label", label);
		}
		if (from != null) {
			builder.queryParam("from", from);
		}
		if (to != null) {
			builder.queryParam("to", to);
		}
		if (hasText(channel)) {
			builder.queryParam("channel", channel);
		}
		if (hasText(batch)) {
			builder.queryParam("batch", batch);
		}
		String query = builder.encode().build().getQuery();
		return query == null ? "" : query;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
