package org.mlpages.config;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances started at once on one empty MariaDB database, as a cluster comes up
 * after a release: each runs the app's migrations at start-up, as Spring Boot runs them
 * (the locations of application.yml, for MySQL/MariaDB). Flyway's lock on the server lets
 * one migrate while the others wait, then find nothing left to do: every script runs
 * once, and every instance starts.
 */
@ExtendWith(MariaDbDatabase.class)
class MigrationsFromSeveralInstancesTests {

	private static final int INSTANCES = 3;

	@Test
	void threeInstancesStartingAtOnceMigrateTheSharedDatabaseOnce() throws Exception {
		String url = "jdbc:mysql://" + MariaDbDatabase.host() + ":" + MariaDbDatabase.port() + "/"
				+ MariaDbDatabase.name();
		CyclicBarrier together = new CyclicBarrier(INSTANCES);
		ExecutorService instances = Executors.newFixedThreadPool(INSTANCES);
		List<Future<MigrateResult>> started = new ArrayList<>();
		try {
			for (int i = 0; i < INSTANCES; i++) {
				started.add(instances.submit(() -> {
					Flyway flyway = Flyway.configure()
						.dataSource(url, MariaDbDatabase.name(), MariaDbDatabase.password())
						.locations("classpath:db/migration/common", "classpath:db/migration/mysql")
						.load();
					together.await();
					return flyway.migrate();
				}));
			}
			int executed = 0;
			for (Future<MigrateResult> instance : started) {
				MigrateResult result = instance.get(2, TimeUnit.MINUTES);
				assertThat(result.success).isTrue();
				executed += result.migrationsExecuted;
			}
			int scripts = 0;
			try (Connection connection = DriverManager.getConnection(url, MariaDbDatabase.name(),
					MariaDbDatabase.password()); Statement sql = connection.createStatement()) {
				try (ResultSet rows = sql.executeQuery("select version, count(*), min(success)"
						+ " from flyway_schema_history where version is not null group by version")) {
					while (rows.next()) {
						scripts++;
						assertThat(rows.getInt(2)).as("runs of version " + rows.getString(1)).isEqualTo(1);
						assertThat(rows.getInt(3)).as("version " + rows.getString(1) + " succeeded").isEqualTo(1);
					}
				}
				try (ResultSet tables = sql.executeQuery("select count(*) from information_schema.tables"
						+ " where table_schema = database() and table_name in ('prediction', 'batch', 'batch_row')")) {
					tables.next();
					assertThat(tables.getInt(1)).as("the app's tables").isEqualTo(3);
				}
			}
			long shipped;
			try (var common = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration/common"));
					var mysql = java.nio.file.Files
						.list(java.nio.file.Path.of("src/main/resources/db/migration/mysql"))) {
				shipped = java.util.stream.Stream.concat(common, mysql)
					.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql"))
					.count();
			}
			assertThat(scripts).as("the scripts for MySQL/MariaDB").isEqualTo(shipped);
			assertThat(executed).as("scripts run, by all the instances together").isEqualTo(scripts);
		}
		finally {
			instances.shutdownNow();
		}
	}

}
