package org.mlpages.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which key a line of a YAML or TOML file belongs to, reading only the key names,
 * so an error can say "line 7, key spring.datasource.password" without the parser's
 * excerpt of the line (which would show the password itself).
 */
final class KeyLines {

	// " key:" or "- key:" with an optional quoted key; the value after the colon is never
	// captured
	private static final Pattern YAML_KEY = Pattern
		.compile("^(\\s*)(?:-\\s+)?(\"[^\"]*\"|'[^']*'|[^\\s#\"'\\-:][^:#]*?)\\s*:(?:\\s|$)");

	private static final Pattern TOML_TABLE = Pattern.compile("^\\s*\\[\\[?\\s*([^\\]]+?)\\s*\\]\\]?\\s*(?:#.*)?$");

	private static final Pattern TOML_KEY = Pattern.compile("^\\s*([A-Za-z0-9_\\-\"'. ]+?)\\s*=");

	private KeyLines() {
	}

	/**
	 * The dotted path of the YAML key on the given line (1-based), or of the nearest key
	 * above it: the path is rebuilt from the indentation of the lines above.
	 */
	static String yamlKeyAt(List<String> lines, int line) {
		int index = Math.min(line, lines.size()) - 1;
		while (index >= 0 && keyOf(lines.get(index)) == null) {
			index--;
		}
		if (index < 0) {
			return null;
		}
		Deque<String> path = new ArrayDeque<>();
		Matcher first = YAML_KEY.matcher(lines.get(index));
		first.find();
		path.addFirst(unquote(first.group(2)));
		int indent = width(first.group(1));
		for (int i = index - 1; i >= 0 && indent > 0; i--) {
			Matcher parent = YAML_KEY.matcher(lines.get(i));
			if (parent.find() && width(parent.group(1)) < indent) {
				path.addFirst(unquote(parent.group(2)));
				indent = width(parent.group(1));
			}
		}
		return String.join(".", path);
	}

	/**
	 * YAML forbids tabs in indentation, but the key is still wanted for the error: a tab
	 * counts as 8.
	 */
	private static int width(String indentation) {
		int width = 0;
		for (char c : indentation.toCharArray()) {
			width = c == '\t' ? (width / 8 + 1) * 8 : width + 1;
		}
		return width;
	}

	private static String keyOf(String line) {
		if (line.stripLeading().startsWith("#")) {
			return null;
		}
		Matcher matcher = YAML_KEY.matcher(line);
		return matcher.find() ? matcher.group(2) : null;
	}

	/**
	 * The dotted path (table and key) of the TOML key on the given line (1-based), or of
	 * the nearest key or table header above it.
	 */
	static String tomlKeyAt(List<String> lines, int line) {
		String key = null;
		int index = Math.min(line, lines.size()) - 1;
		for (; index >= 0; index--) {
			String text = lines.get(index);
			if (TOML_TABLE.matcher(text).matches()) {
				break;
			}
			Matcher matcher = TOML_KEY.matcher(text);
			if (key == null && matcher.find() && !text.stripLeading().startsWith("#")) {
				key = normalise(matcher.group(1));
			}
		}
		String table = null;
		for (; index >= 0; index--) {
			Matcher matcher = TOML_TABLE.matcher(lines.get(index));
			if (matcher.matches()) {
				table = normalise(matcher.group(1));
				break;
			}
		}
		if (table == null) {
			return key;
		}
		return key == null ? table : table + "." + key;
	}

	/**
	 * The 1-based line where the TOML key {@code path} (a table path plus a key) is set,
	 * or 0 when it is not found (a key written as an inline table, for instance).
	 */
	static int tomlLineOf(List<String> lines, String path) {
		String table = "";
		for (int i = 0; i < lines.size(); i++) {
			String text = lines.get(i);
			Matcher header = TOML_TABLE.matcher(text);
			if (header.matches()) {
				table = normalise(header.group(1));
				if (table.equals(path)) {
					return i + 1;
				}
				continue;
			}
			Matcher key = TOML_KEY.matcher(text);
			if (key.find() && !text.stripLeading().startsWith("#")) {
				String full = table.isEmpty() ? normalise(key.group(1)) : table + "." + normalise(key.group(1));
				if (full.equals(path)) {
					return i + 1;
				}
			}
		}
		return 0;
	}

	private static String normalise(String dotted) {
		StringBuilder result = new StringBuilder();
		for (String part : dotted.split("\\.")) {
			if (!result.isEmpty()) {
				result.append('.');
			}
			result.append(unquote(part.strip()));
		}
		return result.toString();
	}

	private static String unquote(String key) {
		if (key.length() >= 2
				&& (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'") && key.endsWith("'"))) {
			return key.substring(1, key.length() - 1);
		}
		return key;
	}

}
