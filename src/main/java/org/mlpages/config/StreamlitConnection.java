package org.mlpages.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * One {@code [connections.<name>]} table of a Streamlit secrets file, as the Spring
 * datasource properties it stands for. Streamlit's SQL connection takes either parts
 * ({@code dialect}, {@code host}, {@code port}, {@code database}, {@code username},
 * {@code password}, {@code query}) or a SQLAlchemy {@code url}; both are read, and a
 * {@code jdbc:} URL is taken as it is. The user name and password always become their own
 * properties, never part of the URL, so an environment variable can replace either and
 * the URL can be shown without them.
 */
final class StreamlitConnection {

	/**
	 * The embedded default's options, so a SQLite file named in the secrets behaves as
	 * the default one.
	 */
	static final String SQLITE_OPTIONS = "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true";

	private StreamlitConnection() {
	}

	/**
	 * @param values the table's keys (relative: "host", "query.sslMode") and values
	 * @param locate where a key was written, for the error that names it
	 */
	static Map<String, String> datasource(Map<String, String> values, Function<String, SettingOrigins.Located> locate) {
		Map<String, String> parts = new LinkedHashMap<>(values);
		String url = parts.get("url");
		if (url != null && url.strip().startsWith("jdbc:")) {
			return properties(url.strip(), parts.get("username"), parts.get("password"));
		}
		if (url != null) {
			readSqlAlchemyUrl(url.strip(), parts, locate.apply("url"));
		}
		String dialect = parts.get("dialect");
		if (dialect == null || dialect.isBlank()) {
			throw locate.apply("dialect")
				.problem("missing: give dialect = \"mysql\", \"mariadb\" or \"sqlite\" (or a url)");
		}
		String database = parts.get("database");
		switch (dialect.strip().toLowerCase(Locale.ROOT)) {
			case "mysql", "mariadb" -> {
				if (database == null || database.isBlank()) {
					throw locate.apply("database").problem("missing: name the database (schema) to use");
				}
				String host = parts.getOrDefault("host", "localhost").strip();
				int port = port(parts.getOrDefault("port", "3306"), locate.apply("port"));
				String jdbc = "jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
						+ encode(database.strip()) + query(parts, "");
				return properties(jdbc, parts.get("username"), parts.get("password"));
			}
			case "sqlite" -> {
				if (database == null || database.isBlank()) {
					throw locate.apply("database").problem("missing: give the path of the SQLite file");
				}
				// SQLite has no accounts: a user name or password here would only confuse
				// the driver
				return properties("jdbc:sqlite:" + database.strip() + query(parts, SQLITE_OPTIONS), null, null);
			}
			default -> throw locate.apply("dialect")
				.problem("not a database mlpages can use; use \"mysql\", \"mariadb\" (both through MySQL Connector/J)"
						+ " or \"sqlite\"");
		}
	}

	/**
	 * {@code dialect[+driver]://user:password@host:port/database?options}, or
	 * {@code sqlite:///relative.db} and {@code sqlite:////absolute.db}, into the same
	 * parts as the table's own keys. Keys also written separately in the table win over
	 * the URL's.
	 */
	private static void readSqlAlchemyUrl(String url, Map<String, String> parts, SettingOrigins.Located where) {
		int scheme = url.indexOf("://");
		if (scheme <= 0) {
			throw where.problem("not a URL: write dialect://user:password@host:port/database, or a jdbc: URL");
		}
		String dialect = url.substring(0, scheme);
		int plus = dialect.indexOf('+');
		parts.putIfAbsent("dialect", plus >= 0 ? dialect.substring(0, plus) : dialect);
		if (dialect.startsWith("sqlite")) {
			String path = url.substring(scheme + 3);
			int query = path.indexOf('?');
			parts.putIfAbsent("database", decode(query >= 0 ? path.substring(0, query) : path).replaceFirst("^/", ""));
			return;
		}
		URI uri;
		try {
			uri = new URI("db" + url.substring(scheme));
		}
		catch (URISyntaxException ex) {
			// the exception's text would quote the URL, and with it the password
			throw where.problem("not a valid URL (percent-encode special characters in the password)");
		}
		if (uri.getRawUserInfo() != null) {
			String[] user = uri.getRawUserInfo().split(":", 2);
			parts.putIfAbsent("username", decode(user[0]));
			if (user.length > 1) {
				parts.putIfAbsent("password", decode(user[1]));
			}
		}
		if (uri.getHost() != null) {
			parts.putIfAbsent("host", uri.getHost());
		}
		if (uri.getPort() > 0) {
			parts.putIfAbsent("port", Integer.toString(uri.getPort()));
		}
		if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
			parts.putIfAbsent("database", decode(uri.getRawPath().substring(1)));
		}
		if (uri.getRawQuery() != null) {
			for (String option : uri.getRawQuery().split("&")) {
				String[] pair = option.split("=", 2);
				parts.putIfAbsent("query." + decode(pair[0]), pair.length > 1 ? decode(pair[1]) : "");
			}
		}
	}

	private static int port(String value, SettingOrigins.Located where) {
		try {
			int port = Integer.parseInt(value.strip());
			if (port >= 1 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below without the value
		}
		throw where.problem("must be a whole number from 1 to 65535");
	}

	/**
	 * The table's {@code query} options, passed to the driver as URL options
	 * (Connector/J's names).
	 */
	private static String query(Map<String, String> parts, String defaults) {
		StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
		if (!defaults.isEmpty()) {
			query.add(defaults);
		}
		parts.forEach((key, value) -> {
			if (key.startsWith("query.")) {
				query.add(encode(key.substring("query.".length())) + "=" + encode(value));
			}
		});
		return query.toString();
	}

	private static Map<String, String> properties(String url, String username, String password) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", url);
		if (username != null) {
			properties.put("spring.datasource.username", username);
		}
		if (password != null) {
			properties.put("spring.datasource.password", password);
		}
		return properties;
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String decode(String text) {
		return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

}
