package org.mlpages.config;

import java.util.Locale;

/** The databases mlpages runs on, told apart by the JDBC URL. */
public enum DatabaseVendor {

	/** The default: a file, no server. */
	SQLITE("jdbc:sqlite:", "org.hibernate.community.dialect.SQLiteDialect"),

	/**
	 * MySQL, and MariaDB through the same driver (MySQL Connector/J speaks MariaDB's
	 * protocol). No dialect is pinned: Hibernate asks the server and picks MySQL's or
	 * MariaDB's ({@link MariaDbDialectResolver}).
	 */
	MYSQL("jdbc:mysql", null);

	private final String urlPrefix;

	private final String hibernateDialect;

	DatabaseVendor(String urlPrefix, String hibernateDialect) {
		this.urlPrefix = urlPrefix;
		this.hibernateDialect = hibernateDialect;
	}

	String hibernateDialect() {
		return hibernateDialect;
	}

	/**
	 * The vendor of a JDBC URL ({@code jdbc:mysql:}, {@code jdbc:mysql+srv:} and
	 * Connector/J's {@code jdbc:mysql:loadbalance:} forms included), or {@code null} for
	 * any other database.
	 */
	public static DatabaseVendor of(String url) {
		String lower = url.strip().toLowerCase(Locale.ROOT);
		for (DatabaseVendor vendor : values()) {
			if (lower.startsWith(vendor.urlPrefix)
					&& (vendor != MYSQL || lower.startsWith("jdbc:mysql:") || lower.startsWith("jdbc:mysql+srv:"))) {
				return vendor;
			}
		}
		return null;
	}

	/**
	 * The URL's scheme only ("jdbc:postgresql:"): safe to print, unlike the rest, which
	 * may hold a password.
	 */
	static String scheme(String url) {
		String stripped = url.strip();
		int second = stripped.indexOf(':', stripped.indexOf(':') + 1);
		return second > 0 ? stripped.substring(0, second + 1) : "(not a jdbc: URL)";
	}

}
