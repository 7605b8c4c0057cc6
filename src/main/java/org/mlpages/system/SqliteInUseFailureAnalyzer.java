package org.mlpages.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** What an operator who started a second instance on one SQLite file reads. */
class SqliteInUseFailureAnalyzer extends AbstractFailureAnalyzer<SqliteInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SqliteInUseException cause) {
		return new FailureAnalysis(cause.getMessage() + ". A SQLite file serves one instance.",
				"Stop the other instance, or give this one its own database (spring.datasource.url). To run several"
						+ " instances, give them one MariaDB or MySQL database (the README's \"Configuration and"
						+ " secrets\").",
				cause);
	}

}
