package org.mlpages.chart;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BarChartBuilderTest {

	@Test
	void aStackedRowsPartsFollowEachOtherAndTheAxisEndsOnARoundNumber() {
		BarChart chart = new BarChartBuilder(List.of("Cat", "Dog"), value -> String.valueOf((long) value),
				Locale.ENGLISH)
			.stacked()
			.wholeNumbers()
			.row("day 1", 3, 4)
			.row("day 2", 0, 2)
			.build();

		assertThat(chart.ticks()).extracting(BarChart.Tick::label).containsExactly("0", "2", "4", "6", "8");
		BarChart.Row first = chart.rows().get(0);
		assertThat(first.total()).isEqualTo("7");
		assertThat(first.bars()).extracting(BarChart.Bar::x, BarChart.Bar::width)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("0.000%", "37.500%"),
					org.assertj.core.groups.Tuple.tuple("37.500%", "50.000%"));
		assertThat(chart.rows().get(1).bars()).as("a zero draws no bar").hasSize(1);
		assertThat(chart.rows().get(1).cells()).as("but the text alternative says it").containsExactly("0", "2");
	}

	@Test
	void negativeValuesGoLeftOfAZeroInTheMiddle() {
		BarChart chart = new BarChartBuilder(List.of("weight"), value -> String.format(Locale.FRENCH, "%+.2f", value),
				Locale.FRENCH)
			.row("a", 0.8)
			.row("b", -0.3)
			.build();

		assertThat(chart.zero()).isEqualTo("50.000%");
		BarChart.Bar negative = chart.rows().get(1).bars().get(0);
		assertThat(negative.x()).isEqualTo("35.000%");
		assertThat(negative.width()).isEqualTo("15.000%");
		assertThat(negative.title()).isEqualTo("weight : -0,30");
	}

	@Test
	void groupedBarsShareTheirRowInBands() {
		BarChart chart = new BarChartBuilder(List.of("p50", "p90", "p99"), value -> value + " ms", Locale.ENGLISH)
			.grouped()
			.row("model", 10, 20, 40)
			.build();

		assertThat(chart.bands()).isEqualTo(3);
		assertThat(chart.rows().get(0).bars()).extracting(BarChart.Bar::y, BarChart.Bar::height)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("0.000%", "33.333%"),
					org.assertj.core.groups.Tuple.tuple("33.333%", "33.333%"),
					org.assertj.core.groups.Tuple.tuple("66.667%", "33.333%"));
	}

	@Test
	void nothingButZerosStillHasAnAxisAndNoNaN() {
		BarChart chart = new BarChartBuilder(List.of("n"), value -> String.valueOf((long) value), Locale.FRENCH)
			.wholeNumbers()
			.row("empty", 0)
			.build();

		assertThat(chart.zero()).isEqualTo("0.000%");
		assertThat(chart.ticks()).extracting(BarChart.Tick::x).containsExactly("0.000%", "100.000%");
		assertThat(new BarChartBuilder(List.of("n"), String::valueOf, Locale.ENGLISH).build().ticks()).isNotEmpty()
			.noneMatch(tick -> tick.x().contains("NaN"));
	}

}
