package org.mlpages.credit.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * @param min smallest accepted value of a numeric field (training minimum minus a margin,
 * see {@link CreditTraining#schemaOf}), widened to a round number by
 * {@link #roundOutward}; NaN for categories
 * @param max largest accepted value of a numeric field (training maximum plus a margin),
 * widened to a round number by {@link #roundOutward}; NaN for categories
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
		if (kind == Kind.NUMERIC) {
			// here rather than where the margin is added, so that a side file written
			// before the rounding gets the same bounds: the form shows them, the schema
			// checks them, the API quotes them, and none of them can disagree
			min = roundOutward(min, false, integer);
			max = roundOutward(max, true, integer);
		}
	}

	/**
	 * A bound widened to a round number a person reads at a glance: the nearest multiple
	 * of half its leading power of ten on the outer side (at least 1 for whole-number
	 * fields). So 125 becomes 100 (a multiple of 50), 19 332 becomes 20 000 (of 5 000),
	 * an age of 17 to 77 becomes 15 to 80 (of 5), 75 and single digits stay. Only ever
	 * widens, never by more than that half power of ten, and never crosses zero, so
	 * neither the margin nor the sign of a positive field is lost. Idempotent.
	 * @param bound the bound; 0, NaN and infinities are returned as they are
	 * @param up whether it is an upper bound (rounded up) or a lower one (rounded down)
	 * @param integer whether the field takes whole numbers only
	 */
	static double roundOutward(double bound, boolean up, boolean integer) {
		if (bound == 0 || !Double.isFinite(bound)) {
			return bound;
		}
		// decimal arithmetic, so that 0.35 stays 0.35 and not 0.35000000000000003
		BigDecimal value = BigDecimal.valueOf(bound).stripTrailingZeros();
		int leadingExponent = value.precision() - value.scale() - 1;
		BigDecimal step = BigDecimal.valueOf(5, 1 - leadingExponent);
		if (integer && step.compareTo(BigDecimal.ONE) < 0) {
			step = BigDecimal.ONE;
		}
		BigDecimal steps = value.divide(step, 0, up ? RoundingMode.CEILING : RoundingMode.FLOOR);
		return steps.multiply(step).doubleValue();
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
