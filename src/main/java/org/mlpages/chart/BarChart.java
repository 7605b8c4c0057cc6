package org.mlpages.chart;

import java.util.List;

/**
 * A horizontal bar chart, ready to draw: one row per category, each with its bars placed
 * in percent of the row's track, an axis with its ticks, a legend, and the same values as
 * a table for screen readers.
 *
 * @param series the legend, in series order
 * @param rows the categories, top to bottom
 * @param ticks the value axis
 * @param zero where the value 0 lies on the track, in percent (0 unless values are
 * negative)
 * @param bands how many bars a row stacks vertically (1 for stacked or single bars; the
 * number of series for grouped bars)
 */
public record BarChart(List<Series> series, List<Row> rows, List<Tick> ticks, String zero, int bands) {

	/** One series: its name as a person reads it and its colour's CSS class. */
	public record Series(String name, String cssClass) {
	}

	/**
	 * One category.
	 *
	 * @param label what the row is, as a person reads it
	 * @param bars the row's bars, in series order, without the empty ones
	 * @param cells every series' value as a person reads it, for the text alternative
	 * @param total the row's total as a person reads it, or null where it means nothing
	 */
	public record Row(String label, List<Bar> bars, List<String> cells, String total) {
	}

	/**
	 * One bar. Positions and sizes are percentages written with a dot, for SVG
	 * attributes.
	 *
	 * @param value the value itself, unformatted, for tests and scripts
	 * @param title the hover text: series and value as a person reads them
	 */
	public record Bar(int series, String cssClass, String x, String width, String y, String height, double value,
			String title) {
	}

	/** A tick of the value axis: its position (percent, dot-decimal) and its label. */
	public record Tick(String x, String label) {
	}

}
