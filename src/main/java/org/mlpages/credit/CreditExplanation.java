package org.mlpages.credit;

import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.chart.BarChart;
import org.mlpages.chart.BarChartBuilder;
import org.mlpages.credit.model.CreditDecision;
import org.mlpages.credit.model.CreditField;

/**
 * The answers that weighed most, in the reader's words: the question, the answer given,
 * how much it moved the log-odds and which way; {@link #chart} draws them.
 */
public record CreditExplanation(List<Bar> bars) {

	static final int BARS = 10;

	public record Bar(String question, String answer, double value, boolean towardsGranting) {
	}

	static CreditExplanation of(CreditDecision decision, Map<String, String> answers, CreditDescriptor descriptor,
			CreditModels.ReadyCreditModel credit, Locale locale) {
		List<Bar> bars = decision.contributions().stream().limit(BARS).map(contribution -> {
			CreditDescriptor.FieldText text = descriptor.field(contribution.field()).orElse(null);
			String question = text != null ? text.label(locale) : contribution.field();
			String raw = answers.getOrDefault(contribution.field(), "");
			boolean numeric = credit.model()
				.schema()
				.field(contribution.field())
				.map(field -> field.kind() == CreditField.Kind.NUMERIC)
				.orElse(false);
			String number = numeric ? readable(raw, locale) : raw;
			String answer = text == null ? number
					: numeric ? (text.unit(locale) != null ? number + " " + text.unit(locale) : number)
							: text.optionLabel(raw, locale);
			return new Bar(question, answer, contribution.value(), contribution.value() >= 0);
		}).toList();
		return new CreditExplanation(bars);
	}

	/**
	 * The bars as a diverging chart: towards refusing to the left of zero, towards
	 * granting to the right, values signed in the reader's locale.
	 */
	BarChart chart(String seriesName, Locale locale) {
		DecimalFormat signed = (DecimalFormat) NumberFormat.getNumberInstance(locale);
		signed.setMinimumFractionDigits(2);
		signed.setMaximumFractionDigits(2);
		signed.setPositivePrefix("+");
		NumberFormat ticks = NumberFormat.getNumberInstance(locale);
		ticks.setMaximumFractionDigits(2);
		BarChartBuilder chart = new BarChartBuilder(List.of(seriesName), signed::format, locale)
			.tickFormat(ticks::format);
		String separator = "fr".equals(locale.getLanguage()) ? " : " : ": ";
		for (Bar bar : bars) {
			chart.row(bar.question() + separator + bar.answer(),
					new String[] { bar.towardsGranting() ? "towards-granting" : "towards-refusing" }, bar.value());
		}
		return chart.build();
	}

	/**
	 * A numeric answer as a person reads it: "9 500" in French; kept as sent if it is not
	 * a number.
	 */
	private static String readable(String raw, Locale locale) {
		try {
			return NumberFormat.getNumberInstance(locale).format(Double.parseDouble(raw));
		}
		catch (NumberFormatException ex) {
			return raw;
		}
	}

}
