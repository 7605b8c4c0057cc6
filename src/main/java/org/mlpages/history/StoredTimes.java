package org.mlpages.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/**
 * The prediction table's times as the writer stores them and the history's own SQL
 * compares them: epoch milliseconds in SQLite (what sqlite-jdbc makes of a timestamp),
 * UTC text with its milliseconds on MySQL and MariaDB, because Connector/J drops the
 * fraction of a second from a timestamp parameter when the server is MariaDB 10 (see
 * org.mlpages.config.MariaDbTimestamps, which does the same for Hibernate). The driver
 * reads both back as instants.
 */
final class StoredTimes {

	private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter
		.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private StoredTimes() {
	}

	/** How an instant is bound on a database reached by this JDBC URL. */
	static Function<Instant, Object> forUrl(String jdbcUrl) {
		return of(isMySql(jdbcUrl));
	}

	static Function<Instant, Object> of(boolean mysql) {
		return mysql ? UTC_MILLIS::format : Instant::toEpochMilli;
	}

	/**
	 * Whether the URL reaches MySQL or MariaDB (through Connector/J) rather than SQLite.
	 */
	static boolean isMySql(String jdbcUrl) {
		return jdbcUrl.startsWith("jdbc:mysql");
	}

}
