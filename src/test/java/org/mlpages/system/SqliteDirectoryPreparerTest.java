package org.mlpages.system;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteDirectoryPreparerTest {

	@Test
	void findsTheFileOfASqliteUrlWithOptions() {
		assertThat(SqliteDirectoryPreparer.databaseFile("jdbc:sqlite:data/mlpages.db?journal_mode=WAL"))
			.isEqualTo(Path.of("data/mlpages.db"));
		assertThat(SqliteDirectoryPreparer.databaseFile("jdbc:sqlite:file:/var/lib/mlpages/app.db"))
			.isEqualTo(Path.of("/var/lib/mlpages/app.db"));
	}

	@Test
	void leavesOtherDatabasesAndMemoryAlone() {
		assertThat(SqliteDirectoryPreparer.databaseFile("jdbc:mariadb://localhost/mlpages")).isNull();
		assertThat(SqliteDirectoryPreparer.databaseFile("jdbc:sqlite::memory:")).isNull();
		assertThat(SqliteDirectoryPreparer.databaseFile(null)).isNull();
	}

}
