package org.mlpages.config;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsJdbcTimestampJdbcType;

/**
 * The instants Hibernate sends to MariaDB, as UTC text with their milliseconds. MySQL
 * Connector/J drops the fraction of a second from every timestamp parameter when the
 * server is MariaDB 10, which announces itself as MySQL 5.5.5 (older than fractional
 * seconds): the history read in slices after "the last row's time" then skipped the rows
 * of that second (found with three instances writing at once). The prediction log's own
 * writer sends its times as text for the same reason ({@link StoredTimes}); values are
 * read as before.
 */
class MariaDbTimestamps extends TimestampUtcAsJdbcTimestampJdbcType {

	@Override
	public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
		return new BasicBinder<>(javaType, this) {

			@Override
			protected void doBind(PreparedStatement statement, X value, int index, WrapperOptions options)
					throws SQLException {
				statement.setString(index, text(value, options));
			}

			@Override
			protected void doBind(CallableStatement statement, X value, String name, WrapperOptions options)
					throws SQLException {
				statement.setString(name, text(value, options));
			}

			private String text(X value, WrapperOptions options) {
				return StoredTimes.utcText(javaType.unwrap(value, Instant.class, options));
			}

		};
	}

}
