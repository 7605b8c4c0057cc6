package org.mlpages.monitoring;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Has the console written in batches ({@link BatchingConsoleAppender}) once Spring Boot
 * has configured it, keeping its format: the lines before this bean are written as
 * before, every one after it by the batching appender.
 */
@Component
class ConsoleInBatches {

	ConsoleInBatches() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
			BatchingConsoleAppender.replaceConsole(context);
		}
	}

}
