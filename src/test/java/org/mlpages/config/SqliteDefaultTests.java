package org.mlpages.config;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import org.mlpages.web.TestModels;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default needs no server: SQLite, its community dialect, and Flyway's SQLite
 * scripts. Same configuration as the web tests, so it shares their application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SqliteDefaultTests {

	static {
		TestModels.prepare();
	}

	@Autowired
	DataSource dataSource;

	@Autowired
	EntityManagerFactory entityManagerFactory;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theDefaultDatabaseIsASqliteFileWithSqlitesDialect() {
		assertThat(((HikariDataSource) dataSource).getJdbcUrl()).startsWith("jdbc:sqlite:target/test-data/mlpages.db?");
		assertThat(entityManagerFactory.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect())
			.isInstanceOf(SQLiteDialect.class);
	}

	/**
	 * The scripts moved to db/migration/sqlite and db/migration/common with their content
	 * unchanged: an existing SQLite database validates against them. These checksums are
	 * the ones the files had at db/migration/.
	 */
	@Test
	void existingSqliteDatabasesKeepTheirHistory() {
		assertThat(jdbc
			.queryForList("select version, script, checksum from flyway_schema_history order by installed_rank"))
			.extracting(row -> row.get("version") + " " + row.get("script") + " " + row.get("checksum"))
			.startsWith("1 V1__prediction_log.sql -1561465149", "2 V2__prediction_kinds.sql -1323478423")
			.contains("3 V3__prediction_feedback.sql 1804395439");
	}

}
