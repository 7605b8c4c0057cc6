package org.mlpages.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Chooses the database once every settings file is read, before anything connects:
 * <ol>
 * <li>A Streamlit-shaped {@code [connections.<name>]} table (the one
 * {@code mlpages.connection} names, else the first) becomes {@code spring.datasource.*},
 * ranked exactly where its file ranks: above the embedded defaults, below environment
 * variables and command-line arguments.</li>
 * <li>The URL then decides the rest, as defaults any setting overrides: the Hibernate
 * dialect (SQLite's from the community dialects; for MySQL and MariaDB Hibernate asks the
 * server, helped by {@link MariaDbDialectResolver}) and, for MySQL, that the driver reads
 * and writes times in UTC, so the instants the prediction log writes come back unchanged
 * whatever the server's or the JVM's time zone. Flyway's scripts follow through
 * {@code {vendor}} in {@code spring.flyway.locations}.</li>
 * </ol>
 * A URL of any other database stops start-up with its scheme named (the rest of a URL may
 * hold a password).
 */
class DatabaseEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String CONNECTION_SOURCE_PREFIX = "mlpages connection ";

	static final String DEFAULTS_SOURCE = "mlpages database defaults";

	private static final String CONNECTIONS = "connections.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		applyConnection(environment);
		applyVendorDefaults(environment);
	}

	private void applyConnection(ConfigurableEnvironment environment) {
		EnumerablePropertySource<?> source = connectionsSource(environment);
		if (source == null) {
			return;
		}
		Set<String> names = new LinkedHashSet<>();
		for (String property : source.getPropertyNames()) {
			if (property.startsWith(CONNECTIONS)) {
				String rest = property.substring(CONNECTIONS.length());
				int dot = rest.indexOf('.');
				if (dot > 0) {
					names.add(rest.substring(0, dot));
				}
			}
		}
		if (names.isEmpty()) {
			return;
		}
		String chosen = environment.getProperty("mlpages.connection");
		if (chosen == null || chosen.isBlank()) {
			chosen = names.iterator().next();
		}
		else if (!names.contains(chosen.strip())) {
			throw SettingOrigins.locate(environment, "mlpages.connection")
				.problem("names no [connections.<name>] table; the tables are: " + String.join(", ", names));
		}
		String prefix = CONNECTIONS + chosen.strip() + ".";
		Map<String, String> values = new LinkedHashMap<>();
		for (String property : source.getPropertyNames()) {
			if (property.startsWith(prefix)) {
				Object value = source.getProperty(property);
				values.put(property.substring(prefix.length()), value == null ? null : value.toString());
			}
		}
		Map<String, String> datasource = StreamlitConnection.datasource(values,
				key -> SettingOrigins.locate(source, prefix + key));
		Map<String, Object> properties = new LinkedHashMap<>();
		Origin origin = source instanceof OriginLookup<?> ? originOf(source, prefix) : null;
		datasource.forEach((key, value) -> properties.put(key, OriginTrackedValue.of(value, origin)));
		environment.getPropertySources()
			.addBefore(source.getName(), new OriginTrackedMapPropertySource(
					CONNECTION_SOURCE_PREFIX + "'" + chosen.strip() + "' from " + source.getName(), properties, true));
	}

	/**
	 * The highest-ranked source that holds a connections table: the same file the
	 * operator edits.
	 */
	private static EnumerablePropertySource<?> connectionsSource(ConfigurableEnvironment environment) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					if (name.startsWith(CONNECTIONS)) {
						return enumerable;
					}
				}
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static Origin originOf(PropertySource<?> source, String prefix) {
		OriginLookup<String> lookup = (OriginLookup<String>) source;
		for (String key : List.of("url", "dialect", "host", "database")) {
			Origin origin = lookup.getOrigin(prefix + key);
			if (origin != null) {
				return origin;
			}
		}
		return null;
	}

	private void applyVendorDefaults(ConfigurableEnvironment environment) {
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || url.isBlank()) {
			return;
		}
		DatabaseVendor vendor = DatabaseVendor.of(url);
		if (vendor == null) {
			throw SettingOrigins.locate(environment, "spring.datasource.url")
				.problem("mlpages runs on SQLite (jdbc:sqlite:) and on MySQL or MariaDB (jdbc:mysql:), not on "
						+ DatabaseVendor.scheme(url) + (url.strip().startsWith("jdbc:mariadb:")
								? " (MySQL Connector/J serves MariaDB: write jdbc:mysql://host:port/database)" : ""));
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		// SQLite writes one transaction at a time: more connections only wait on its
		// lock. A
		// server takes writes side by side, and with its browser sessions in it (Spring
		// Session JDBC) every page reads and saves one: at 4 connections, 200 clients
		// waited past the 5 s connection timeout (OnMariaDbIT)
		defaults.put("spring.datasource.hikari.maximum-pool-size", vendor == DatabaseVendor.SQLITE ? 4 : 10);
		if (vendor.hibernateDialect() != null) {
			defaults.put("spring.jpa.database-platform", vendor.hibernateDialect());
		}
		if (vendor == DatabaseVendor.MYSQL) {
			// The log writes created_at with setTimestamp and Hibernate reads it back as
			// an Instant in UTC;
			// with the driver converting in UTC too, a DATETIME holds UTC and both agree
			// on every machine.
			defaults.put("spring.datasource.hikari.data-source-properties.connectionTimeZone", "UTC");
			defaults.put("spring.datasource.hikari.data-source-properties.forceConnectionTimeZoneToSession", "false");
			defaults.put("spring.jpa.properties.hibernate.dialect_resolvers", MariaDbDialectResolver.class.getName());
		}
		environment.getPropertySources().remove(DEFAULTS_SOURCE);
		environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS_SOURCE, defaults));
	}

	/**
	 * After Spring has read every settings file; before the SQLite folder is prepared
	 * from the URL.
	 */
	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 5;
	}

}
