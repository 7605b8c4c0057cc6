package org.mlpages.cluster;

import org.mlpages.config.DatabaseVendor;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the prediction log is on a MySQL or MariaDB server, which several
 * instances may share; not on the SQLite file, which one instance holds.
 */
class OnSharedDatabase implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String url = context.getEnvironment().getProperty("spring.datasource.url", "");
		return DatabaseVendor.of(url) == DatabaseVendor.MYSQL;
	}

}
