package org.mlpages.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Builds a {@link BarChart} from values: stacked (a day's answers add up to its count),
 * grouped (p50, p90 and p99 side by side) or single bars, on an axis that always includes
 * zero and ends on a round number.
 */
public final class BarChartBuilder {

	private static final String[] COLOURS = { "series-0", "series-1", "series-2", "series-3", "series-4", "series-5" };

	private final List<String> seriesNames;

	private final DoubleFunction<String> format;

	private final List<String> labels = new ArrayList<>();

	private final List<double[]> values = new ArrayList<>();

	private final List<String[]> cssClasses = new ArrayList<>();

	private final String titleSeparator;

	private DoubleFunction<String> tickFormat;

	private boolean stacked;

	private boolean wholeNumbers;

	private boolean grouped;

	/**
	 * @param seriesNames the series as a person reads them
	 * @param format how a person reads a value (the reader's locale, a unit)
	 * @param locale the reader's, for the hover text's punctuation
	 */
	public BarChartBuilder(List<String> seriesNames, DoubleFunction<String> format, Locale locale) {
		this.seriesNames = List.copyOf(seriesNames);
		this.format = format;
		// the bundles' French puts a space before a colon, as here
		this.titleSeparator = "fr".equals(locale.getLanguage()) ? " : " : ": ";
	}

	/**
	 * How the axis' ticks read, when the values' own format is too long for them (a unit
	 * the caption already gives, decimals the round ticks do not need).
	 */
	public BarChartBuilder tickFormat(DoubleFunction<String> format) {
		this.tickFormat = format;
		return this;
	}

	/** Values are counts: the axis steps by whole numbers. */
	public BarChartBuilder wholeNumbers() {
		this.wholeNumbers = true;
		return this;
	}

	/** The bars of a row add up: their total is the row's length and is shown. */
	public BarChartBuilder stacked() {
		this.stacked = true;
		return this;
	}

	/** The bars of a row stand one under the other, each from zero. */
	public BarChartBuilder grouped() {
		this.grouped = true;
		return this;
	}

	/** A row, one value per series. */
	public BarChartBuilder row(String label, double... rowValues) {
		return row(label, null, rowValues);
	}

	/**
	 * A row whose bars take colours of their own instead of their series' colour (a
	 * contribution towards refusing is red).
	 */
	public BarChartBuilder row(String label, String[] barClasses, double... rowValues) {
		if (rowValues.length != seriesNames.size()) {
			throw new IllegalArgumentException(
					"row " + label + " has " + rowValues.length + " values for " + seriesNames.size() + " series");
		}
		labels.add(label);
		values.add(rowValues.clone());
		cssClasses.add(barClasses);
		return this;
	}

	public BarChart build() {
		double max = 0;
		double min = 0;
		for (double[] row : values) {
			double positive = 0;
			double negative = 0;
			for (double value : row) {
				if (stacked) {
					positive += Math.max(0, value);
					negative += Math.min(0, value);
				}
				else {
					positive = Math.max(positive, value);
					negative = Math.min(negative, value);
				}
			}
			max = Math.max(max, positive);
			min = Math.min(min, negative);
		}
		// nothing to draw (no rows, or only zeros) still gets an axis from 0 to 1
		double step = max == min ? 1 : niceStep(max - min);
		if (wholeNumbers) {
			step = Math.max(1, Math.round(step));
		}
		double axisMax = max == 0 ? (min == 0 ? step : 0) : Math.ceil(max / step - 1e-9) * step;
		double axisMin = Math.floor(min / step + 1e-9) * step;
		if (min < 0 && max > 0) {
			// a diverging chart is read from its middle: the same reach on both sides
			double reach = Math.max(axisMax, -axisMin);
			axisMax = reach;
			axisMin = -reach;
		}
		double span = axisMax - axisMin;

		List<BarChart.Series> series = new ArrayList<>();
		for (int i = 0; i < seriesNames.size(); i++) {
			series.add(new BarChart.Series(seriesNames.get(i), COLOURS[i % COLOURS.length]));
		}
		int bands = grouped ? seriesNames.size() : 1;
		List<BarChart.Row> rows = new ArrayList<>();
		for (int r = 0; r < labels.size(); r++) {
			double[] row = values.get(r);
			List<BarChart.Bar> bars = new ArrayList<>();
			List<String> cells = new ArrayList<>();
			double positiveEnd = 0;
			double negativeEnd = 0;
			double total = 0;
			for (int s = 0; s < row.length; s++) {
				double value = row[s];
				cells.add(format.apply(value));
				total += value;
				double from;
				double to;
				if (stacked) {
					from = value >= 0 ? positiveEnd : negativeEnd + value;
					to = value >= 0 ? positiveEnd + value : negativeEnd;
					if (value >= 0) {
						positiveEnd += value;
					}
					else {
						negativeEnd += value;
					}
				}
				else {
					from = Math.min(0, value);
					to = Math.max(0, value);
				}
				if (value == 0) {
					continue;
				}
				String css = cssClasses.get(r) != null ? cssClasses.get(r)[s] : series.get(s).cssClass();
				int band = grouped ? s : 0;
				bars.add(new BarChart.Bar(s, css, percent((from - axisMin) / span), percent((to - from) / span),
						percent((double) band / bands), percent(1.0 / bands), value,
						seriesNames.get(s) + titleSeparator + format.apply(value)));
			}
			rows.add(new BarChart.Row(labels.get(r), bars, cells, stacked ? format.apply(total) : null));
		}

		List<BarChart.Tick> ticks = new ArrayList<>();
		for (double tick = axisMin; tick <= axisMax + step / 2; tick += step) {
			double rounded = Math.round(tick / step) * step;
			ticks.add(new BarChart.Tick(percent((rounded - axisMin) / span),
					(tickFormat != null ? tickFormat : format).apply(rounded)));
		}
		return new BarChart(series, rows, ticks, percent((0 - axisMin) / span), bands);
	}

	/** 1, 2 or 5 times a power of ten, so that the axis has at most five steps. */
	static double niceStep(double span) {
		double rough = span / 5;
		double power = Math.pow(10, Math.floor(Math.log10(rough)));
		for (double multiple : new double[] { 1, 2, 5, 10 }) {
			if (multiple * power >= rough - 1e-12) {
				return multiple * power;
			}
		}
		return 10 * power;
	}

	/**
	 * A fraction as a percentage for an SVG attribute: dot decimal, whatever the locale.
	 */
	static String percent(double fraction) {
		return String.format(Locale.ROOT, "%.3f%%", fraction * 100);
	}

}
