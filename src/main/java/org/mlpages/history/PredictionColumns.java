package org.mlpages.history;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;

/**
 * The insert of a prediction row, made from the columns {@link PredictionRecord} maps for
 * JPA: the history reads rows through those annotations and the writer inserts them
 * through the same ones, converting values with the same converters, so a column is
 * described once. Read once, when the writer is made.
 */
final class PredictionColumns {

	/**
	 * Not a column of the record: the record's {@link PredictionRecord#topProbability()},
	 * kept for the history's charts, which count by it in SQL.
	 */
	static final String TOP_PROBABILITY = "top_probability";

	private final List<MappedColumn> columns;

	private final List<String> names;

	private final String insert;

	private PredictionColumns(List<MappedColumn> columns) {
		this.columns = columns;
		List<String> names = new ArrayList<>(columns.stream().map(MappedColumn::name).toList());
		names.add(TOP_PROBABILITY);
		this.names = List.copyOf(names);
		this.insert = "insert into prediction (" + String.join(", ", names) + ") values ("
				+ names.stream().map(name -> "?").collect(Collectors.joining(", ")) + ")";
	}

	static PredictionColumns ofRecord() {
		List<MappedColumn> columns = new ArrayList<>();
		for (RecordComponent component : PredictionRecord.class.getRecordComponents()) {
			columns.add(MappedColumn.of(component));
		}
		return new PredictionColumns(List.copyOf(columns));
	}

	/** The columns in the order the insert binds them. */
	List<String> names() {
		return names;
	}

	String insert() {
		return insert;
	}

	/** Binds every column of the insert; instants as {@code time} stores them. */
	void bind(PreparedStatement insert, PredictionRecord record, Function<Instant, Object> time) throws SQLException {
		int index = 1;
		for (MappedColumn column : columns) {
			column.bind(insert, index++, record, time);
		}
		insert.setDouble(index, record.topProbability());
	}

	/**
	 * One component of the record: its column, its accessor, the converter JPA applies to
	 * it if any, and the SQL type a null is sent as.
	 */
	private record MappedColumn(String name, Method accessor, AttributeConverter<Object, Object> converter,
			int nullType) {

		static MappedColumn of(RecordComponent component) {
			Column column = fieldAnnotation(component, Column.class);
			if (column == null || column.name().isEmpty()) {
				throw new IllegalStateException(
						"PredictionRecord." + component.getName() + " names no column: every component is one");
			}
			Convert convert = fieldAnnotation(component, Convert.class);
			return new MappedColumn(column.name(), component.getAccessor(),
					convert == null ? null : converter(convert.converter()), nullType(component.getType()));
		}

		void bind(PreparedStatement insert, int index, PredictionRecord record, Function<Instant, Object> time)
				throws SQLException {
			Object value = valueOf(record);
			if (converter != null && value != null) {
				value = converter.convertToDatabaseColumn(value);
			}
			if (value == null) {
				insert.setNull(index, nullType);
			}
			else {
				insert.setObject(index, value instanceof Instant instant ? time.apply(instant) : value);
			}
		}

		private Object valueOf(PredictionRecord record) {
			try {
				return accessor.invoke(record);
			}
			catch (IllegalAccessException | InvocationTargetException ex) {
				throw new IllegalStateException("cannot read PredictionRecord." + accessor.getName(), ex);
			}
		}

		// annotations on a record component reach its field, where JPA reads them
		private static <A extends Annotation> A fieldAnnotation(RecordComponent component, Class<A> type) {
			try {
				return PredictionRecord.class.getDeclaredField(component.getName()).getAnnotation(type);
			}
			catch (NoSuchFieldException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@SuppressWarnings("unchecked")
		private static AttributeConverter<Object, Object> converter(Class<?> type) {
			try {
				Constructor<?> constructor = type.getDeclaredConstructor();
				constructor.setAccessible(true);
				return (AttributeConverter<Object, Object>) constructor.newInstance();
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("cannot make the converter " + type.getName(), ex);
			}
		}

		private static int nullType(Class<?> type) {
			if (type == Integer.class) {
				return Types.INTEGER;
			}
			if (type == Double.class) {
				return Types.DOUBLE;
			}
			return Types.VARCHAR;
		}

	}

}
