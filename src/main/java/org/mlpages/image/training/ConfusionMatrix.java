package org.mlpages.image.training;

import java.util.List;

/** Counts of (true class, predicted class) over a validation set; rows are the truth. */
public record ConfusionMatrix(List<String> classes, int[][] counts) {

	public ConfusionMatrix {
		classes = List.copyOf(classes);
	}

	public static ConfusionMatrix of(List<String> classes, int[] truth, int[] predicted) {
		int[][] counts = new int[classes.size()][classes.size()];
		for (int i = 0; i < truth.length; i++) {
			counts[truth[i]][predicted[i]]++;
		}
		return new ConfusionMatrix(classes, counts);
	}

	public int total() {
		int n = 0;
		for (int[] row : counts) {
			for (int v : row) {
				n += v;
			}
		}
		return n;
	}

	public int correct() {
		int n = 0;
		for (int i = 0; i < counts.length; i++) {
			n += counts[i][i];
		}
		return n;
	}

	public double accuracy() {
		return total() == 0 ? Double.NaN : (double) correct() / total();
	}

	/** A Markdown table: one row per true class, one column per predicted class. */
	public String toMarkdown() {
		StringBuilder sb = new StringBuilder("| true \\ predicted |");
		for (String c : classes) {
			sb.append(' ').append(c).append(" |");
		}
		sb.append("\n|---|");
		sb.append("---:|".repeat(classes.size())).append('\n');
		for (int i = 0; i < classes.size(); i++) {
			sb.append("| ").append(classes.get(i)).append(" |");
			for (int j = 0; j < classes.size(); j++) {
				sb.append(' ').append(counts[i][j]).append(" |");
			}
			sb.append('\n');
		}
		return sb.toString();
	}

	/** Aligned plain text for a terminal. */
	public String toText() {
		int w = Math.max(6, classes.stream().mapToInt(String::length).max().orElse(6) + 1);
		StringBuilder sb = new StringBuilder(String.format("%-" + w + "s", "true\\pred"));
		for (String c : classes) {
			sb.append(String.format("%" + w + "s", c));
		}
		sb.append('\n');
		for (int i = 0; i < classes.size(); i++) {
			sb.append(String.format("%-" + w + "s", classes.get(i)));
			for (int j = 0; j < classes.size(); j++) {
				sb.append(String.format("%" + w + "d", counts[i][j]));
			}
			sb.append('\n');
		}
		return sb.toString();
	}
}
