package org.mlpages.cluster;

import org.mlpages.config.DatabaseVendor;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the operator asked for the sessions in the database
 * ({@code mlpages.sessions.in-database: true}, as docs/scaling-out.md says for several
 * instances) and the prediction log is on a MySQL or MariaDB server, which several
 * instances may share; never on the SQLite file, which one instance holds. One instance
 * keeps its sessions in memory: no query per page, and a database outage leaves the
 * sessions as they were.
 */
class OnSharedDatabase implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String url = context.getEnvironment().getProperty("spring.datasource.url", "");
		return context.getEnvironment().getProperty("mlpages.sessions.in-database", Boolean.class, false)
				&& DatabaseVendor.of(url) == DatabaseVendor.MYSQL;
	}

}
