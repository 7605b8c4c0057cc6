package org.mlpages.tabular;

import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mlpages.chart.BarChart;
import org.mlpages.chart.BarChartBuilder;
import org.mlpages.tabular.TabularModel.Contribution;

import org.springframework.context.MessageSource;

/**
 * A logged explanation in the reader's words: the answers that moved the decision most,
 * each as its question and the answer given, with how much it moved the explained class
 * (points of probability, or log-odds for a linear model) and which way.
 */
public record ExplainedAnswers(List<Bar> bars, boolean inLogOdds) {

	/**
	 * @param value the change, in points of probability (0 to 100) or in log-odds
	 * @param raises whether the answer made the explained class more likely
	 */
	public record Bar(String question, String answer, double value, boolean raises) {
	}

	/**
	 * @param limit how many of the answers that moved the decision most
	 */
	public static ExplainedAnswers of(TabularModel model, TabularService.Explanation explanation,
			Map<String, String> answers, int limit, MessageSource messages, Locale locale) {
		List<Bar> bars = new ArrayList<>();
		for (Contribution contribution : explanation.contributions()) {
			if (bars.size() == limit) {
				break;
			}
			// a field renamed since the decision was logged is left out
			if (!model.hasField(contribution.field())) {
				continue;
			}
			TabularDescriptor.Field field = model.field(contribution.field());
			bars.add(new Bar(field.label(locale), answer(field, answers.get(field.name()), messages, locale),
					explanation.inLogOdds() ? contribution.change() : contribution.change() * 100,
					contribution.change() >= 0));
		}
		return new ExplainedAnswers(List.copyOf(bars), explanation.inLogOdds());
	}

	/**
	 * The bars as a diverging chart, each as "question: answer", to the right of zero
	 * when it raised the explained class's probability; values signed the reader's way.
	 */
	public BarChart chart(String seriesName, Locale locale) {
		int decimals = inLogOdds ? 2 : 1;
		DecimalFormat signed = (DecimalFormat) NumberFormat.getNumberInstance(locale);
		signed.setMinimumFractionDigits(decimals);
		signed.setMaximumFractionDigits(decimals);
		signed.setPositivePrefix("+");
		NumberFormat ticks = NumberFormat.getNumberInstance(locale);
		ticks.setMaximumFractionDigits(decimals);
		BarChartBuilder chart = new BarChartBuilder(List.of(seriesName), signed::format, locale)
			.tickFormat(ticks::format);
		String separator = "fr".equals(locale.getLanguage()) ? " : " : ": ";
		for (Bar bar : bars) {
			chart.row(bar.question() + separator + bar.answer(), new String[] { bar.raises() ? "raises" : "lowers" },
					bar.value());
		}
		return chart.build();
	}

	/** An answer as a person reads it: the option's words, a number the reader's way. */
	private static String answer(TabularDescriptor.Field field, String raw, MessageSource messages, Locale locale) {
		if (raw == null) {
			return "";
		}
		return switch (field.kind()) {
			case CHOICE -> field.optionName(raw, locale);
			case YES_NO -> messages.getMessage(List.of("true", "yes", "oui", "1").contains(raw.toLowerCase(Locale.ROOT))
					? "tabular.yes" : "tabular.no", null, locale);
			case NUMBER, INTEGER -> {
				Double number = TabularModel.parseNumber(raw);
				String text = number == null ? raw : NumberFormat.getNumberInstance(locale).format(number);
				yield field.unit(locale) == null ? text : text + "\u00a0" + field.unit(locale);
			}
		};
	}

}
