package org.mlpages.credit.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Why one answer was refused. The code is stable (the app maps it to a French or English
 * message); the arguments are what such a message may quote, listed per code below.
 *
 * @param field the field name (for {@link Code#UNKNOWN_FIELD} the unknown name as sent;
 * {@code ""} for {@link Code#NOT_AN_OBJECT})
 * @param code what is wrong
 * @param args values for the message, see each {@link Code}
 */
public record FieldError(String field, Code code, Object... args) {

	/** Stable error codes. Arguments in brackets. */
	public enum Code {

		/** The field is absent, null, or an empty/blank string. [] */
		MISSING,
		/**
		 * A field the model does not know (only when unknown fields are rejected, i.e.
		 * the API). []
		 */
		UNKNOWN_FIELD,
		/**
		 * A categorical answer that is not one of the accepted strings (exact case).
		 * [accepted: List&lt;String&gt;]
		 */
		UNKNOWN_CATEGORY,
		/**
		 * A categorical field got a number, boolean, array or object instead of a string.
		 * []
		 */
		NOT_A_STRING,
		/**
		 * A numeric field got text that is not a plain decimal number, or a
		 * boolean/array/object. []
		 */
		NOT_A_NUMBER,
		/** NaN or an infinity (or a number too large for a double). [] */
		NOT_FINITE,
		/** A decimal for a field that takes whole numbers. [] */
		NOT_AN_INTEGER,
		/** Below the accepted minimum. [min: Number] */
		TOO_SMALL,
		/** Above the accepted maximum. [max: Number] */
		TOO_LARGE,
		/**
		 * A string longer than any accepted value could be (kept out of logs and
		 * messages). [maxLength: Integer]
		 */
		TOO_LONG,
		/** The answers as a whole are not a JSON object / map. [] */
		NOT_AN_OBJECT

	}

	public FieldError {
		Objects.requireNonNull(field, "field");
		Objects.requireNonNull(code, "code");
		args = args == null ? new Object[0] : args.clone();
	}

	/**
	 * The message arguments as an immutable list (the array accessor returns the record's
	 * own array).
	 */
	public List<Object> argList() {
		return List.of(args);
	}

	// Records compare arrays by identity; errors are compared in tests and by callers, so
	// compare by content.
	@Override
	public boolean equals(Object o) {
		return o instanceof FieldError other && field.equals(other.field) && code == other.code
				&& Arrays.deepEquals(args, other.args);
	}

	@Override
	public int hashCode() {
		return Objects.hash(field, code, Arrays.deepHashCode(args));
	}

	@Override
	public String toString() {
		return field + ":" + code + (args.length == 0 ? "" : Arrays.deepToString(args));
	}
}
