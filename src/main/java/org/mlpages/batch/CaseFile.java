package org.mlpages.batch;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.mlpages.system.InputRejectedException;

import org.springframework.http.HttpStatus;

/**
 * A CSV file of cases as a spreadsheet saves it: UTF-8 with or without its byte order
 * mark, cells separated by {@code ,} or by {@code ;} (what a French spreadsheet writes,
 * its decimals written with a comma), a header row naming the columns, one case a row.
 * Blank rows are skipped. Anything else is refused before any case is scored.
 */
record CaseFile(List<String> header, List<List<String>> rows) {

	static CaseFile read(byte[] content, int maxRows) {
		String text = utf8(content);
		if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
			text = text.substring(1);
		}
		if (text.isBlank()) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "batch.rejected.empty", "empty CSV file");
		}
		CSVFormat format = CSVFormat.DEFAULT.builder()
			.setDelimiter(delimiter(text))
			.setIgnoreEmptyLines(true)
			.setIgnoreSurroundingSpaces(true)
			.get();
		List<String> header = null;
		List<List<String>> rows = new ArrayList<>();
		try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
			for (CSVRecord record : parser) {
				List<String> cells = record.toList();
				if (header == null) {
					header = cells;
				}
				else if (cells.stream().anyMatch(cell -> !cell.isBlank())) {
					if (rows.size() == maxRows) {
						throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT,
								"batch.rejected.too-many-rows", "CSV file over " + maxRows + " rows", maxRows);
					}
					rows.add(cells);
				}
			}
		}
		catch (IOException | UncheckedIOException | IllegalStateException ex) {
			// commons-csv says where: an opening quote that never closes, mostly
			throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.malformed",
					"unreadable CSV file: " + ex.getMessage());
		}
		if (rows.isEmpty()) {
			throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.no-rows",
					"CSV file with a header and no rows");
		}
		return new CaseFile(List.copyOf(header), List.copyOf(rows));
	}

	private static String utf8(byte[] content) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(content))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.encoding",
					"CSV file not in UTF-8");
		}
	}

	/** The separator the header row uses most: {@code ;}, a tab, or {@code ,}. */
	private static char delimiter(String text) {
		int end = text.indexOf('\n');
		String first = end < 0 ? text : text.substring(0, end);
		long commas = first.chars().filter(c -> c == ',').count();
		long semicolons = first.chars().filter(c -> c == ';').count();
		long tabs = first.chars().filter(c -> c == '\t').count();
		if (semicolons > commas && semicolons >= tabs) {
			return ';';
		}
		return tabs > commas ? '\t' : ',';
	}

}
