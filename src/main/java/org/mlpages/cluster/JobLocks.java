package org.mlpages.cluster;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.mlpages.config.DatabaseVendor;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A scheduled job annotated with {@code @SchedulerLock} runs on one instance at a time:
 * the instance that takes the row of the {@code shedlock} table (ShedLock) runs it, the
 * others skip that turn. The hourly jobs hold theirs at least {@link #HOURLY_AT_LEAST},
 * so that instances started at different minutes still run them about once an hour
 * between them, and at most {@link #HOURLY_AT_MOST}: a job whose instance died is run
 * again by the next instance whose turn comes after that.
 */
@Configuration(proxyBeanMethods = false)
@EnableSchedulerLock(defaultLockAtMostFor = JobLocks.AT_MOST)
public class JobLocks {

	/** Longer than any of the locked jobs takes. */
	static final String AT_MOST = "PT30M";

	/** For a job every instance schedules every hour. */
	public static final String HOURLY_AT_MOST = "PT55M";

	/** For a job every instance schedules every hour. */
	public static final String HOURLY_AT_LEAST = "PT50M";

	/**
	 * On MySQL/MariaDB the lock's times come from the server's clock, so that instances
	 * whose clocks disagree still agree on when a lock ends; SQLite has one instance, and
	 * its clock.
	 */
	@Bean
	LockProvider lockProvider(DataSource dataSource, @Value("${spring.datasource.url:}") String url) {
		JdbcTemplateLockProvider.Configuration.Builder settings = JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.withTableName("shedlock");
		// in UTC either way (ShedLock's default)
		if (DatabaseVendor.of(url) == DatabaseVendor.MYSQL) {
			settings.usingDbTime();
		}
		return new JdbcTemplateLockProvider(settings.build());
	}

}
