package org.mlpages.history;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

import org.mlpages.system.CsvCells;

/**
 * Writes history rows as CSV (RFC 4180), each cell {@link CsvCells#neutralised
 * neutralised} against spreadsheet formulas.
 */
final class HistoryCsv {

	static final List<String> HEADER = List.of("id", "created_at", "channel", "kind", "model", "model_sha256", "label",
			"top_probability", "probabilities", "threshold", "original_name", "image_width", "image_height",
			"stored_file", "input_json", "inference_ms", "latency_ms", "feedback_label");

	private HistoryCsv() {
	}

	static void header(Writer out) throws IOException {
		line(out, HEADER);
	}

	static void rows(List<Prediction> rows, Writer out) throws IOException {
		ProbabilitiesConverter json = new ProbabilitiesConverter();
		for (Prediction row : rows) {
			line(out, List.of(String.valueOf(row.getId()), row.getCreatedAt().toString(), row.getChannel(),
					row.getKind(), row.getModelName(), row.getModelSha256(), row.getLabel(),
					number(row.getTopProbability()), json.convertToDatabaseColumn(row.getProbabilities()),
					row.getThreshold() == null ? "" : number(row.getThreshold()), nullToEmpty(row.getOriginalName()),
					row.getImageWidth() == null ? "" : row.getImageWidth().toString(),
					row.getImageHeight() == null ? "" : row.getImageHeight().toString(),
					nullToEmpty(row.getStoredFile()), nullToEmpty(row.getInputJson()), number(row.getInferenceMs()),
					number(row.getLatencyMs()), nullToEmpty(row.getFeedbackLabel())));
		}
	}

	private static void line(Writer out, List<String> cells) throws IOException {
		for (int i = 0; i < cells.size(); i++) {
			if (i > 0) {
				out.write(',');
			}
			out.write(cell(cells.get(i)));
		}
		out.write("\r\n");
	}

	static String cell(String value) {
		String safe = CsvCells.neutralised(value);
		if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
			return "\"" + safe.replace("\"", "\"\"") + "\"";
		}
		return safe;
	}

	private static String number(double value) {
		return String.format(Locale.ROOT, "%.6f", value);
	}

	private static String nullToEmpty(String value) {
		return value == null ? "" : value;
	}

}
