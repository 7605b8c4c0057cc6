package org.mlpages.config;

import java.sql.DatabaseMetaData;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.MariaDBDialect;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolutionInfo;
import org.hibernate.engine.jdbc.dialect.spi.DialectResolver;
import org.hibernate.service.ServiceRegistry;

/**
 * MariaDB reached through MySQL Connector/J calls itself "MySQL 5.5.5-10.11.x-MariaDB"
 * (the prefix is for old MySQL clients), so Hibernate would pick MySQL's dialect for a
 * 5.5 server and warn that it is unsupported. This resolver, listed in
 * {@code hibernate.dialect_resolvers} for MySQL URLs, gives MariaDB's dialect with the
 * real version, and instants sent with their milliseconds ({@link MariaDbTimestamps});
 * for a real MySQL server it declines and Hibernate resolves as usual.
 */
public class MariaDbDialectResolver implements DialectResolver {

	private static final Pattern MARIADB = Pattern.compile("^(?:5\\.5\\.5-)?(\\d+)\\.(\\d+)\\.(\\d+)-MariaDB.*",
			Pattern.CASE_INSENSITIVE);

	@Override
	public Dialect resolveDialect(DialectResolutionInfo info) {
		String version = info.getDatabaseVersion();
		if (!"MySQL".equals(info.getDatabaseName()) || version == null) {
			return null;
		}
		Matcher matcher = MARIADB.matcher(version);
		if (!matcher.matches()) {
			return null;
		}
		return new ThroughConnectorJ(new Versioned(info, Integer.parseInt(matcher.group(1)),
				Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3))));
	}

	/** MariaDB's dialect, with the instants sent as text ({@link MariaDbTimestamps}). */
	static final class ThroughConnectorJ extends MariaDBDialect {

		ThroughConnectorJ(DialectResolutionInfo info) {
			super(info);
		}

		@Override
		public void contributeTypes(TypeContributions contributions, ServiceRegistry services) {
			super.contributeTypes(contributions, services);
			contributions.contributeJdbcType(new MariaDbTimestamps());
		}

	}

	/** The driver's answers, with the server's real version. */
	private record Versioned(DialectResolutionInfo info, int major, int minor,
			int micro) implements DialectResolutionInfo {

		@Override
		public String getDatabaseName() {
			return "MariaDB";
		}

		@Override
		public String getDatabaseVersion() {
			return major + "." + minor + "." + micro;
		}

		@Override
		public int getDatabaseMajorVersion() {
			return major;
		}

		@Override
		public int getDatabaseMinorVersion() {
			return minor;
		}

		@Override
		public int getDatabaseMicroVersion() {
			return micro;
		}

		@Override
		public String getDriverName() {
			return info.getDriverName();
		}

		@Override
		public int getDriverMajorVersion() {
			return info.getDriverMajorVersion();
		}

		@Override
		public int getDriverMinorVersion() {
			return info.getDriverMinorVersion();
		}

		@Override
		public String getSQLKeywords() {
			return info.getSQLKeywords();
		}

		@Override
		public DatabaseMetaData getDatabaseMetadata() {
			return info.getDatabaseMetadata();
		}

		@Override
		public Map<String, Object> getConfigurationValues() {
			return info.getConfigurationValues();
		}

	}

}
