package org.mlpages.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Reads the operator's YAML settings files before Spring does. Spring's own YAML error
 * quotes the offending line, which in these files may hold a password, and Boot prints it
 * in the start-up failure; this check stops start-up first with the file, the line and
 * the key only.
 */
class YamlSettingsCheck implements EnvironmentPostProcessor, Ordered {

	/**
	 * The operator files that may hold secrets, as imported by application.yml or read by
	 * Boot itself.
	 */
	static final List<String> FILES = List.of("secrets.yml", "application.yml", "config/application.yml");

	private final Path directory;

	YamlSettingsCheck() {
		this(Path.of(""));
	}

	YamlSettingsCheck(Path directory) {
		this.directory = directory;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		for (String name : FILES) {
			Path file = directory.resolve(name);
			if (Files.isRegularFile(file)) {
				check(file, "settings file " + name);
			}
		}
	}

	static void check(Path file, String shownAs) {
		LoaderOptions options = new LoaderOptions();
		// Spring refuses duplicate keys too; saying which one beats its generic message
		options.setAllowDuplicateKeys(false);
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			for (Object ignored : new Yaml(options).loadAll(reader)) {
				// parsing every document is the check
			}
		}
		catch (MarkedYAMLException ex) {
			// an unclosed quote is found where the file ends; the line that opened it is
			// the one to fix
			boolean scanning = ex.getContext() != null && ex.getContext().startsWith("while scanning");
			Mark mark = scanning && ex.getContextMark() != null || ex.getProblemMark() == null ? ex.getContextMark()
					: ex.getProblemMark();
			int line = mark != null ? mark.getLine() + 1 : 0;
			throw new SecretsFileException(shownAs, line, line > 0 ? KeyLines.yamlKeyAt(lines(file), line) : null,
					"not valid YAML (" + problem(ex.getProblem()) + ")");
		}
		catch (YAMLException ex) {
			throw new SecretsFileException(shownAs, 0, null, "not valid YAML");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + shownAs, ex);
		}
	}

	/**
	 * SnakeYAML's problem is a fixed phrase ("mapping values are not allowed here") that
	 * quotes at most a character, an alias or a key name; the excerpt of the line, which
	 * may show a value, is elsewhere in the exception and is left out.
	 */
	private static String problem(String problem) {
		return problem == null ? "syntax error" : problem.strip().replace("\t", "\\t");
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/** Before Spring reads the files. */
	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER - 1;
	}

}
