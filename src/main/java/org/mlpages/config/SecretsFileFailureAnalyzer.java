package org.mlpages.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a broken settings file into Spring Boot's short start-up report. Once a failure
 * is analysed, Boot logs this report instead of the stack trace, so what the operator
 * reads is the file, line and key.
 */
class SecretsFileFailureAnalyzer extends AbstractFailureAnalyzer<SecretsFileException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SecretsFileException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Correct " + cause.getFile() + (cause.getLine() > 0 ? " at line " + cause.getLine() : "")
						+ ". application.yml.example lists every setting; the README's \"Configuration and secrets\""
						+ " section shows both file shapes.",
				cause);
	}

}
