package org.mlpages.credit.model;

import java.util.List;
import java.util.Objects;

/**
 * One question of the credit form, in the order and with the name of the data set's
 * column.
 *
 * @param name the data set's column name, e.g. {@code checking_status} or {@code age}
 * @param kind numeric or categorical
 * @param categories for a categorical field the accepted values, exact strings, as the
 * trained model knows them (its feature map, not the ARFF header:
 * {@code purpose=vacation} and {@code personal_status=female single} are declared there
 * but never occur); empty for numbers
 * @param min smallest accepted value of a numeric field (training minimum minus a
 * margin); NaN for categories
 * @param max largest accepted value of a numeric field (training maximum plus a margin);
 * NaN for categories
 * @param integer whether a numeric field only takes whole numbers (every training value
 * was whole)
 * @param unit unit of a numeric field in English ({@code DM}, {@code months},
 * {@code years}, ...); empty for categories and counts. Informative only: the app writes
 * its own localised labels
 */
public record CreditField(String name, Kind kind, List<String> categories, double min, double max, boolean integer,
		String unit) {

	/** Whether the answer is a number or one of a fixed list of strings. */
	public enum Kind {

		NUMERIC, CATEGORICAL

	}

	public CreditField {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(kind, "kind");
		categories = List.copyOf(categories);
		unit = unit == null ? "" : unit;
		if (kind == Kind.CATEGORICAL && categories.isEmpty()) {
			throw new IllegalArgumentException(name + ": a categorical field needs categories");
		}
		if (kind == Kind.NUMERIC && !(min <= max)) {
			throw new IllegalArgumentException(name + ": bounds " + min + ".." + max);
		}
	}

	/** A numeric field accepting {@code min..max}. */
	public static CreditField numeric(String name, double min, double max, boolean integer, String unit) {
		return new CreditField(name, Kind.NUMERIC, List.of(), min, max, integer, unit);
	}

	/**
	 * A categorical field accepting exactly the given strings, in the given (display)
	 * order.
	 */
	public static CreditField categorical(String name, List<String> categories) {
		return new CreditField(name, Kind.CATEGORICAL, categories, Double.NaN, Double.NaN, false, "");
	}

	/**
	 * The Tribuo feature a value of this field becomes: {@code age@value} or
	 * {@code purpose@radio/tv}.
	 */
	public String featureName(String category) {
		return kind == Kind.NUMERIC ? name + "@value" : name + "@" + category;
	}
}
