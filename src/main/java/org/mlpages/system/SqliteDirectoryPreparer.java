package org.mlpages.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * SQLite creates its database file but not the folder it sits in; a fresh clone has no
 * {@code data/}. This runs once the configuration is read and before the connection pool
 * opens the file.
 */
class SqliteDirectoryPreparer implements EnvironmentPostProcessor, Ordered {

	private static final String PREFIX = "jdbc:sqlite:";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("spring.datasource.url");
		Path file = databaseFile(url);
		if (file == null || file.getParent() == null) {
			return;
		}
		try {
			Files.createDirectories(file.getParent());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the folder of the SQLite database " + file, ex);
		}
	}

	static Path databaseFile(String url) {
		if (url == null || !url.startsWith(PREFIX)) {
			return null;
		}
		String location = url.substring(PREFIX.length());
		int query = location.indexOf('?');
		if (query >= 0) {
			location = location.substring(0, query);
		}
		if (location.startsWith("file:")) {
			location = location.substring("file:".length());
		}
		if (location.isEmpty() || location.equals(":memory:") || location.startsWith(":resource:")) {
			return null;
		}
		return Path.of(location);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
