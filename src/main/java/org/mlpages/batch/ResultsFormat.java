package org.mlpages.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.mlpages.system.CsvCells;

/**
 * Where a batch's results go, line by line: a CSV file, or a spreadsheet (XLSX) whose
 * numbers are numbers, which the reader's spreadsheet shows the reader's way. Cells are
 * text, or {@link Number} for the row, the probabilities and the prediction's id.
 */
interface ResultsFormat {

	String CSV_TYPE = "text/csv;charset=UTF-8";

	String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	void line(List<?> cells) throws IOException;

	/** Writes what is left; the stream stays open, it is the caller's. */
	void finish() throws IOException;

	/**
	 * RFC 4180, UTF-8; numbers written plainly, never the reader's way; a text cell that
	 * a spreadsheet would run as a formula is neutralised.
	 */
	static ResultsFormat csv(OutputStream out) {
		return new ResultsFormat() {

			private final CSVPrinter csv = printer(out);

			@Override
			public void line(List<?> cells) throws IOException {
				csv.printRecord(cells.stream()
					.map(cell -> cell instanceof Number number ? plain(number) : CsvCells.neutralised((String) cell)));
			}

			@Override
			public void finish() throws IOException {
				csv.flush();
			}

		};
	}

	/**
	 * One sheet, its header in bold and frozen; text cells are stored as text (a
	 * spreadsheet never runs them as formulas).
	 */
	static ResultsFormat xlsx(OutputStream out) {
		return new ResultsFormat() {

			private final Workbook workbook = new Workbook(out, "mlpages", null);

			private final Worksheet sheet = workbook.newWorksheet("results");

			private int row;

			@Override
			public void line(List<?> cells) throws IOException {
				for (int col = 0; col < cells.size(); col++) {
					Object cell = cells.get(col);
					if (cell instanceof Number number) {
						sheet.value(row, col, number);
					}
					else if (!((String) cell).isEmpty()) {
						sheet.value(row, col, (String) cell);
					}
				}
				if (row == 0) {
					sheet.range(0, 0, 0, Math.max(0, cells.size() - 1)).style().bold().set();
					sheet.freezePane(0, 1);
				}
				row++;
				// the sheet's finished rows go to the stream rather than wait in memory
				if (row % 1000 == 0) {
					sheet.flush();
				}
			}

			@Override
			public void finish() throws IOException {
				workbook.finish();
			}

		};
	}

	private static CSVPrinter printer(OutputStream out) {
		try {
			return new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.RFC4180);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static String plain(Number value) {
		if (value instanceof Double || value instanceof Float) {
			return BigDecimal.valueOf(value.doubleValue())
				.setScale(6, RoundingMode.HALF_EVEN)
				.stripTrailingZeros()
				.toPlainString();
		}
		return value.toString();
	}

}
