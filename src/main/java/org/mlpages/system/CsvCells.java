package org.mlpages.system;

/**
 * A cell of a CSV file the app writes, made safe for the spreadsheet that opens it: a
 * value a spreadsheet would run as a formula (a file name such as
 * {@code =HYPERLINK(...)}, an answer a stranger typed) gets an apostrophe before it;
 * numbers are left as they are.
 */
public final class CsvCells {

	private CsvCells() {
	}

	public static String neutralised(String value) {
		if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !isNumber(value)) {
			return "'" + value;
		}
		return value;
	}

	private static boolean isNumber(String value) {
		try {
			Double.parseDouble(value);
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
