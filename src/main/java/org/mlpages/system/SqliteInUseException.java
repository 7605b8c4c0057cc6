package org.mlpages.system;

import java.nio.file.Path;

/** Another mlpages process runs on this SQLite file. */
public class SqliteInUseException extends RuntimeException {

	private final Path database;

	SqliteInUseException(Path database, Path lockFile) {
		super("Another mlpages is running on the SQLite database " + database + " (it holds " + lockFile + ")");
		this.database = database;
	}

	public Path getDatabase() {
		return database;
	}

}
