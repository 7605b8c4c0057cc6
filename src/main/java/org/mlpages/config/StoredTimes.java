package org.mlpages.config;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/**
 * Instants as the app sends them when it binds them itself (the prediction log's writer,
 * the history's own SQL) and as Hibernate sends them on MariaDB
 * ({@link MariaDbTimestamps}): epoch milliseconds in SQLite (what sqlite-jdbc makes of a
 * timestamp), UTC text with its milliseconds on MySQL and MariaDB, because Connector/J
 * drops the fraction of a second from a timestamp parameter when the server is MariaDB
 * 10. The driver reads both back as instants.
 */
public final class StoredTimes {

	private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter
		.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private StoredTimes() {
	}

	/** How an instant is bound on a database reached by this JDBC URL. */
	public static Function<Instant, Object> forUrl(String jdbcUrl) {
		return of(isMySql(jdbcUrl));
	}

	public static Function<Instant, Object> of(boolean mysql) {
		return mysql ? StoredTimes::utcText : Instant::toEpochMilli;
	}

	/**
	 * Whether the URL reaches MySQL or MariaDB (through Connector/J) rather than SQLite.
	 */
	public static boolean isMySql(String jdbcUrl) {
		return jdbcUrl.startsWith("jdbc:mysql");
	}

	/** An instant as MySQL and MariaDB are sent it: UTC, to the millisecond. */
	static String utcText(Instant instant) {
		return UTC_MILLIS.format(instant);
	}

}
