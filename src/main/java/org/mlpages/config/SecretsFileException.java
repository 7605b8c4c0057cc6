package org.mlpages.config;

/**
 * A settings file that cannot be used as written. The message names the file, the line
 * and the key, and never the value: the value may be a password, and this message ends up
 * in the start-up log.
 */
public class SecretsFileException extends RuntimeException {

	private final String file;

	private final int line;

	private final String key;

	private final String problem;

	/**
	 * @param file where the setting came from, as the operator would name it: "settings
	 * file secrets.yml", "environment variable SPRING_DATASOURCE_URL"
	 * @param line 1-based, or 0 when the problem is not on one line
	 * @param key the dotted key at or nearest above that line, or {@code null} when there
	 * is none
	 * @param problem what is wrong, in words that quote no value from the file
	 */
	public SecretsFileException(String file, int line, String key, String problem) {
		super(describe(file, line, key, problem));
		this.file = file;
		this.line = line;
		this.key = key;
		this.problem = problem;
	}

	private static String describe(String file, int line, String key, String problem) {
		StringBuilder message = new StringBuilder(Character.toUpperCase(file.charAt(0)) + file.substring(1));
		if (line > 0) {
			message.append(", line ").append(line);
		}
		if (key != null && !key.isEmpty()) {
			message.append(", key '").append(key).append('\'');
		}
		return message.append(": ").append(problem).toString();
	}

	public String getFile() {
		return file;
	}

	public int getLine() {
		return line;
	}

	public String getKey() {
		return key;
	}

	public String getProblem() {
		return problem;
	}

}
