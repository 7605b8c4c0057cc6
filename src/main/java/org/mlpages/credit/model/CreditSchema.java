package org.mlpages.credit.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The questions a credit model needs answered, in order, and the check that answers are
 * acceptable before any reaches Tribuo.
 *
 * <p>
 * Built from the trained model's own feature map (see {@link CreditModel#load}), so the
 * accepted categories are exactly those the model learned a weight for. Tribuo would
 * silently drop an unknown or mis-cased category, treat a missing number as the training
 * mean and accept an age of -5; {@link #validate} refuses all of these.
 *
 * <p>
 * Accepted value types, strictly:
 * <ul>
 * <li>categorical field: a {@code String} equal (exact case, no trimming) to one of
 * {@link CreditField#categories()}; a number, boolean, list or map is
 * {@link FieldError.Code#NOT_A_STRING};</li>
 * <li>numeric field: a {@code String} holding a plain decimal number ({@code 42},
 * {@code -1.5}, {@code 2.5e3}; no spaces, no thousands separator, no decimal comma), or a
 * {@code Number} (Integer, Long, Double, BigDecimal... as JSON parsers produce); a
 * boolean, list or map is {@link FieldError.Code#NOT_A_NUMBER};</li>
 * <li>{@code null}, an absent key, or an empty/blank string is
 * {@link FieldError.Code#MISSING}.</li>
 * </ul>
 * Instances are immutable and thread-safe.
 */
public final class CreditSchema {

	/**
	 * Longest string examined; longer ones are refused without being parsed or quoted
	 * back.
	 */
	public static final int MAX_STRING_LENGTH = 100;

	// Plain decimal with optional exponent. Double.parseDouble alone would also take
	// "NaN", "Infinity", "0x1p3",
	// "1d" and surrounding spaces, none of which a form should send.
	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");

	private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

	private final List<CreditField> fields;

	private final Map<String, CreditField> byName;

	/**
	 * @param fields the fields in form order; names must be distinct
	 */
	public CreditSchema(List<CreditField> fields) {
		this.fields = List.copyOf(fields);
		Map<String, CreditField> map = new LinkedHashMap<>();
		for (CreditField field : this.fields) {
			if (map.put(field.name(), field) != null) {
				throw new IllegalArgumentException("duplicate field " + field.name());
			}
		}
		this.byName = Collections.unmodifiableMap(map);
	}

	/** The fields in form order. */
	public List<CreditField> fields() {
		return fields;
	}

	/** The field names in form order. */
	public List<String> fieldNames() {
		return List.copyOf(byName.keySet());
	}

	/** The field of that name, if the model has one. */
	public Optional<CreditField> field(String name) {
		return Optional.ofNullable(byName.get(name));
	}

	/**
	 * Checks a whole set of answers; an empty list means the answers can be given to the
	 * model.
	 *
	 * <p>
	 * Every field of the schema is checked (so a form can show every problem at once), in
	 * schema order, with at most one error per field; then, if
	 * {@code rejectUnknownFields}, each key the schema does not know is reported as
	 * {@link FieldError.Code#UNKNOWN_FIELD} (sorted by name). A form submission carries
	 * extra keys (CSRF token, buttons) and should pass {@code false}; the JSON API should
	 * pass {@code true} so a mistyped field name is not mistaken for a missing one
	 * silently.
	 * @param answers field name → value; may be null (→ one
	 * {@link FieldError.Code#NOT_AN_OBJECT})
	 * @param rejectUnknownFields whether keys outside the schema are errors
	 * @return the errors, empty if all answers are acceptable
	 */
	public List<FieldError> validate(Map<String, ?> answers, boolean rejectUnknownFields) {
		if (answers == null) {
			return List.of(new FieldError("", FieldError.Code.NOT_AN_OBJECT));
		}
		List<FieldError> errors = new ArrayList<>();
		for (CreditField field : fields) {
			FieldError error = check(field, answers.get(field.name()));
			if (error != null) {
				errors.add(error);
			}
		}
		if (rejectUnknownFields) {
			TreeSet<String> unknown = new TreeSet<>();
			for (Object key : answers.keySet()) {
				String name = String.valueOf(key);
				if (!byName.containsKey(name)) {
					// an attacker-chosen key is quoted back in messages: cut it
					unknown.add(name.length() > MAX_STRING_LENGTH ? name.substring(0, MAX_STRING_LENGTH) : name);
				}
			}
			for (String name : unknown) {
				errors.add(new FieldError(name, FieldError.Code.UNKNOWN_FIELD));
			}
		}
		return List.copyOf(errors);
	}

	/** The error for one answer, or null if it is acceptable. */
	private static FieldError check(CreditField field, Object value) {
		if (value == null || value instanceof String s && s.isBlank()) {
			return new FieldError(field.name(), FieldError.Code.MISSING);
		}
		if (value instanceof String s && s.length() > MAX_STRING_LENGTH) {
			return new FieldError(field.name(), FieldError.Code.TOO_LONG, MAX_STRING_LENGTH);
		}
		if (field.kind() == CreditField.Kind.CATEGORICAL) {
			if (!(value instanceof String s)) {
				return new FieldError(field.name(), FieldError.Code.NOT_A_STRING);
			}
			return field.categories().contains(s) ? null
					: new FieldError(field.name(), FieldError.Code.UNKNOWN_CATEGORY, field.categories());
		}
		double number;
		if (value instanceof String s) {
			if (!DECIMAL.matcher(s).matches()) {
				return new FieldError(field.name(),
						NON_FINITE.matcher(s).matches() ? FieldError.Code.NOT_FINITE : FieldError.Code.NOT_A_NUMBER);
			}
			number = Double.parseDouble(s);
		}
		else if (value instanceof Double || value instanceof Float || value instanceof Integer || value instanceof Long
				|| value instanceof Short || value instanceof Byte || value instanceof BigDecimal
				|| value instanceof BigInteger) {
			number = ((Number) value).doubleValue();
		}
		else {
			// Boolean, List, Map, or some Number type whose doubleValue we have no reason
			// to trust
			return new FieldError(field.name(), FieldError.Code.NOT_A_NUMBER);
		}
		if (!Double.isFinite(number)) {
			return new FieldError(field.name(), FieldError.Code.NOT_FINITE);
		}
		if (field.integer() && number != Math.rint(number)) {
			return new FieldError(field.name(), FieldError.Code.NOT_AN_INTEGER);
		}
		if (number < field.min()) {
			return new FieldError(field.name(), FieldError.Code.TOO_SMALL, boundArg(field, field.min()));
		}
		if (number > field.max()) {
			return new FieldError(field.name(), FieldError.Code.TOO_LARGE, boundArg(field, field.max()));
		}
		return null;
	}

	/**
	 * A bound as a message argument: a Long for integer fields so it prints as "18", not
	 * "18.0".
	 */
	private static Number boundArg(CreditField field, double bound) {
		return field.integer() ? (Number) (long) bound : (Number) bound;
	}

	/**
	 * The numeric value of an answer that passed {@link #validate}. Only for
	 * {@link CreditModel}.
	 * @throws IllegalArgumentException if the answer was not validated
	 */
	static double numberOf(Object value) {
		if (value instanceof String s) {
			if (!DECIMAL.matcher(s).matches()) {
				throw new IllegalArgumentException("not validated");
			}
			return Double.parseDouble(s);
		}
		return ((Number) value).doubleValue();
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof CreditSchema other && fields.equals(other.fields);
	}

	@Override
	public int hashCode() {
		return Objects.hash(fields);
	}

	@Override
	public String toString() {
		return "CreditSchema" + fields;
	}

}
