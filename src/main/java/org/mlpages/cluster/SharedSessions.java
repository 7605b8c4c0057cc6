package org.mlpages.cluster;

import java.time.Duration;

import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.MySqlJdbcIndexedSessionRepositoryCustomizer;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.servlet.LocaleResolver;

/**
 * With {@code mlpages.sessions.in-database: true} on MySQL/MariaDB the browser sessions
 * live in the database (Spring Session JDBC, tables made by the V9 migration): a login, a
 * form's CSRF token and the predictions a visitor may see hold on whichever instance the
 * next request reaches, and survive a restart. Spring Boot's own automatic set-up of it
 * is turned off ({@code MlPagesApplication} excludes it) because it would also take over
 * on SQLite, where one instance keeps its sessions in memory at no cost per request. The
 * session cookie still follows {@code server.servlet.session.cookie.*}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnSharedDatabase.class)
@EnableJdbcHttpSession
class SharedSessions {

	private static final Logger log = LoggerFactory.getLogger(SharedSessions.class);

	/**
	 * The same idle timeout as Tomcat's sessions on SQLite, and upserts of attributes:
	 * two requests of one visitor on two instances may store the same attribute at once,
	 * and a plain INSERT would then fail one of them on the primary key.
	 */
	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sharedSessionSettings(
			@Value("${server.servlet.session.timeout:30m}") Duration timeout) {
		log.info("Sessions are kept in the database, shared by every instance (idle timeout {})", timeout);
		SessionRepositoryCustomizer<JdbcIndexedSessionRepository> upserts = new MySqlJdbcIndexedSessionRepositoryCustomizer();
		return repository -> {
			repository.setDefaultMaxInactiveInterval(timeout);
			upserts.customize(repository);
		};
	}

	/** Just in front of Spring Session's filter, which reads and saves the session. */
	@Bean
	FilterRegistrationBean<SessionStoreUnavailable> sessionStoreUnavailable(MessageSource messages,
			LocaleResolver locales) {
		FilterRegistrationBean<SessionStoreUnavailable> registration = new FilterRegistrationBean<>(
				new SessionStoreUnavailable(messages, locales));
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

}
