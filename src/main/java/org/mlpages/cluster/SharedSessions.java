package org.mlpages.cluster;

import java.time.Duration;

import javax.sql.DataSource;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.mlpages.config.DatabaseVendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.env.Environment;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.MySqlJdbcIndexedSessionRepositoryCustomizer;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.LocaleResolver;

/**
 * With {@code mlpages.sessions.in-database: true} on MySQL/MariaDB the browser sessions
 * live in the database (Spring Session JDBC, tables made by the V9 migration): a login, a
 * form's CSRF token and the predictions a visitor may see hold on whichever instance the
 * next request reaches, and survive a restart. Never on the SQLite file, which one
 * instance holds: one instance keeps its sessions in memory, with no query per page, and
 * a database outage leaves them as they were. The session cookie follows
 * {@code server.servlet.session.cookie.*}.
 * <p>
 * Decided when the beans are made, not by a condition on them, and without Spring
 * Session's {@code @EnableJdbcHttpSession} or Boot's automatic set-up (excluded in
 * {@code MlPagesApplication}): the prepared start (bin/prepare-start.sh, which the
 * systemd unit and the container image run) uses Spring's AOT mode, where bean conditions
 * are settled when the jar is built, so a condition kept the sessions in memory there
 * whatever the operator set (found by playing deploy/kubernetes/mlpages.yaml).
 */
@Configuration(proxyBeanMethods = false)
class SharedSessions {

	private static final Logger log = LoggerFactory.getLogger(SharedSessions.class);

	@Bean
	SessionsInDatabase sessionsInDatabase(Environment environment, DataSource dataSource,
			PlatformTransactionManager transactions, @Value("${server.servlet.session.timeout:30m}") Duration timeout) {
		boolean wanted = environment.getProperty("mlpages.sessions.in-database", Boolean.class, false);
		boolean shared = DatabaseVendor
			.of(environment.getProperty("spring.datasource.url", "")) == DatabaseVendor.MYSQL;
		if (!wanted) {
			return new SessionsInDatabase(null);
		}
		if (!shared) {
			log.warn("mlpages.sessions.in-database is set but the database is not MySQL/MariaDB:"
					+ " the sessions stay in this instance's memory");
			return new SessionsInDatabase(null);
		}
		log.info("Sessions are kept in the database, shared by every instance (idle timeout {})", timeout);
		return new SessionsInDatabase(repository(dataSource, transactions, timeout));
	}

	/**
	 * Spring Session's filter, which reads and saves the session, when it is in the
	 * database.
	 */
	@Bean
	FilterRegistrationBean<Filter> sharedSessionFilter(SessionsInDatabase sessions,
			ObjectProvider<CookieSerializer> cookies) {
		Filter filter = (request, response, chain) -> chain.doFilter(request, response);
		if (sessions.enabled()) {
			SessionRepositoryFilter<?> sessionFilter = new SessionRepositoryFilter<>(sessions.repository);
			CookieHttpSessionIdResolver ids = new CookieHttpSessionIdResolver();
			ids.setCookieSerializer(cookies.getIfAvailable(DefaultCookieSerializer::new));
			sessionFilter.setHttpSessionIdResolver(ids);
			filter = sessionFilter;
		}
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(sessions.enabled());
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	/** Just in front of Spring Session's filter. */
	@Bean
	FilterRegistrationBean<SessionStoreUnavailable> sessionStoreUnavailable(SessionsInDatabase sessions,
			MessageSource messages, LocaleResolver locales) {
		FilterRegistrationBean<SessionStoreUnavailable> registration = new FilterRegistrationBean<>(
				new SessionStoreUnavailable(messages, locales));
		registration.setEnabled(sessions.enabled());
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	/**
	 * As Spring Session's own set-up makes it, with the same idle timeout as Tomcat's
	 * sessions on SQLite, and upserts of attributes: two requests of one visitor on two
	 * instances may store the same attribute at once, and a plain INSERT would then fail
	 * one of them on the primary key.
	 */
	private static JdbcIndexedSessionRepository repository(DataSource dataSource,
			PlatformTransactionManager transactions, Duration timeout) {
		TransactionTemplate ownTransaction = new TransactionTemplate(transactions);
		ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		JdbcIndexedSessionRepository repository = new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource),
				ownTransaction);
		repository.setDefaultMaxInactiveInterval(timeout);
		// the attributes are the app's classes: read back with the class loader that has
		// them (in the packaged jar, not the system one)
		GenericConversionService conversions = new GenericConversionService();
		conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
		conversions.addConverter(byte[].class, Object.class,
				new DeserializingConverter(SharedSessions.class.getClassLoader()));
		repository.setConversionService(conversions);
		new MySqlJdbcIndexedSessionRepositoryCustomizer().customize(repository);
		// schedules the removal of expired sessions (every minute, on each instance)
		repository.afterPropertiesSet();
		return repository;
	}

	/**
	 * The sessions' repository when they are in the database; stops its clean-up at the
	 * end.
	 */
	static final class SessionsInDatabase implements DisposableBean {

		private final JdbcIndexedSessionRepository repository;

		private SessionsInDatabase(JdbcIndexedSessionRepository repository) {
			this.repository = repository;
		}

		boolean enabled() {
			return repository != null;
		}

		@Override
		public void destroy() {
			if (repository != null) {
				repository.destroy();
			}
		}

	}

}
