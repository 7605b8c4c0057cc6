package org.mlpages.security;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throttle on a real SQLite file made by the app's migrations; two throttles on one
 * file are two instances sharing a database.
 */
class LoginThrottleTests {

	private static final String ATTACKER = "203.0.113.7";

	@TempDir
	Path dir;

	private final MovingClock clock = new MovingClock();

	private JdbcTemplate jdbc;

	private StoppableDatabase database;

	@BeforeEach
	void migratedDatabase() {
		String url = "jdbc:sqlite:" + dir.resolve("mlpages.db");
		Flyway.configure()
			.dataSource(url, null, null)
			.locations("classpath:db/migration/common", "classpath:db/migration/sqlite")
			.load()
			.migrate();
		database = new StoppableDatabase(url);
		jdbc = new JdbcTemplate(database);
	}

	@Test
	void tenFailuresSpreadOverTwoInstancesBlockTheAddressOnBoth() {
		LoginThrottle first = new LoginThrottle(jdbc, clock);
		LoginThrottle second = new LoginThrottle(jdbc, clock);
		for (int i = 0; i < LoginThrottle.MAX_FAILURES / 2; i++) {
			first.failed(ATTACKER);
			second.failed(ATTACKER);
		}

		assertThat(first.isBlocked(ATTACKER)).isTrue();
		assertThat(second.isBlocked(ATTACKER)).isTrue();
		assertThat(first.isBlocked("198.51.100.9")).as("another address").isFalse();
	}

	@Test
	void nineFailuresDoNotBlockAndTheMinuteForgetsThem() {
		LoginThrottle throttle = new LoginThrottle(jdbc, clock);
		for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
			throttle.failed(ATTACKER);
		}
		assertThat(throttle.isBlocked(ATTACKER)).isFalse();

		throttle.failed(ATTACKER);
		assertThat(throttle.isBlocked(ATTACKER)).isTrue();

		clock.pass(LoginThrottle.WINDOW.plusSeconds(1));
		assertThat(throttle.isBlocked(ATTACKER)).as("a minute later").isFalse();
		throttle.failed("198.51.100.9");
		assertThat(jdbc.queryForObject("select count(*) from login_failure where address = ?", Integer.class, ATTACKER))
			.as("rows past the minute deleted as new ones come")
			.isZero();
	}

	@Test
	void aLoginThatSucceedsForgetsTheAddressesFailuresEverywhere() {
		LoginThrottle first = new LoginThrottle(jdbc, clock);
		LoginThrottle second = new LoginThrottle(jdbc, clock);
		for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
			first.failed(ATTACKER);
		}
		second.succeeded(ATTACKER);
		first.succeeded(ATTACKER);

		first.failed(ATTACKER);
		assertThat(first.isBlocked(ATTACKER)).isFalse();
		assertThat(second.isBlocked(ATTACKER)).isFalse();
	}

	@Test
	void withoutTheDatabaseEachInstanceStillCountsItsOwn() {
		jdbc.execute("drop table login_failure");
		LoginThrottle throttle = new LoginThrottle(jdbc, clock);
		for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
			throttle.failed(ATTACKER);
		}

		assertThat(throttle.isBlocked(ATTACKER)).isTrue();
		assertThat(throttle.isBlocked("198.51.100.9")).isFalse();
	}

	/**
	 * A login while the database is away waits for the pool's timeout at each question (5
	 * s as shipped): it is asked once, then left alone for a few seconds.
	 */
	@Test
	void whileTheDatabaseIsAwayALoginWaitsForItOnceNotAtEveryStep() {
		LoginThrottle throttle = new LoginThrottle(jdbc, clock);
		database.stopped = true;

		assertThat(throttle.isBlocked(ATTACKER)).isFalse();
		throttle.failed(ATTACKER);
		assertThat(throttle.isBlocked(ATTACKER)).isFalse();
		throttle.succeeded(ATTACKER);
		assertThat(database.asked).as("connections asked for").isOne();

		database.stopped = false;
		clock.pass(LoginThrottle.DATABASE_RETRY);
		throttle.failed(ATTACKER);
		assertThat(jdbc.queryForObject("select count(*) from login_failure where address = ?", Integer.class, ATTACKER))
			.as("counted in the database again once it answers")
			.isOne();
	}

	private static final class StoppableDatabase extends DriverManagerDataSource {

		volatile boolean stopped;

		int asked;

		StoppableDatabase(String url) {
			super(url);
		}

		@Override
		public Connection getConnection() throws SQLException {
			asked++;
			if (stopped) {
				throw new SQLException("Connection refused", "08001");
			}
			return super.getConnection();
		}

	}

	private static final class MovingClock extends Clock {

		private Instant now = Instant.parse("2026-12-07T10:00:00Z");

		void pass(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
