package org.mlpages.security;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.mlpages.system.MlPagesProperties;

import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.DelegatingAccessDeniedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.LocaleResolver;

/**
 * Who may see what: prediction pages and the API are open to everyone; the history, which
 * shows what people sent, and training need the admin account. Every form carries a CSRF
 * token (the JSON API, which sets no cookie and changes nothing but the log, does not),
 * and Spring Security's headers go on every answer.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * Bootstrap's styles are files, but the pages size bars with inline style attributes.
	 * The image page previews the photo about to be sent from a {@code blob:} URL of the
	 * browser's own making.
	 */
	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; "
			+ "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
			+ "base-uri 'self'; form-action 'self'";

	/**
	 * The metrics: the server itself reads them as they are (an operator's Prometheus on
	 * the same host, {@link MetricsAccess}), anyone else needs the admin's name and
	 * password, sent with HTTP Basic as scrapers do; without them the answer is 401. A
	 * wrong password counts towards the login throttle as on the login page.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain metricsSecurity(HttpSecurity http, LoginThrottle throttle) throws Exception {
		BasicAuthenticationEntryPoint askForPassword = new BasicAuthenticationEntryPoint();
		askForPassword.setRealmName("mlpages metrics");
		askForPassword.afterPropertiesSet();
		http.securityMatcher("/actuator/prometheus")
			.authorizeHttpRequests(requests -> requests.anyRequest()
				.access(AuthorizationManagers.anyOf(new MetricsAccess(),
						AuthorityAuthorizationManager.hasRole("ADMIN"))))
			.httpBasic(basic -> basic.authenticationEntryPoint((request, response, ex) -> {
				if (ex instanceof BadCredentialsException) {
					throttle.failed(request.getRemoteAddr());
				}
				askForPassword.commence(request, response, ex);
			}))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.headers(SecurityConfiguration::securityHeaders)
			.addFilterBefore(new BasicThrottleFilter(throttle), BasicAuthenticationFilter.class);
		return http.build();
	}

	/**
	 * The JSON API answers everyone the same, without a session: no session lookup, CSRF
	 * token, saved request, login, logout or anonymous user on its path, only the
	 * security headers. Its own chain keeps that per-request work off every photo and
	 * credit request.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher("/api/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			// nobody logs in or out here, and no controller asks the request who is
			// calling: three filters fewer on every call
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> anonymous.disable())
			.servletApi(servletApi -> servletApi.disable())
			.headers(SecurityConfiguration::securityHeaders);
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain webSecurity(HttpSecurity http, LoginThrottle throttle, MessageSource messages,
			LocaleResolver locales) throws Exception {
		LinkedHashMap<Class<? extends AccessDeniedException>, AccessDeniedHandler> byRefusal = new LinkedHashMap<>();
		byRefusal.put(CsrfException.class, new StaleFormHandler(messages, locales));
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/history", "/history/**", "/training", "/training/**", "/admin/**")
			.hasRole("ADMIN")
			.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
			.permitAll()
			.requestMatchers("/actuator/**")
			.hasRole("ADMIN")
			.anyRequest()
			.permitAll())
			.formLogin(login -> login.loginPage("/login").permitAll().failureHandler((request, response, ex) -> {
				throttle.failed(request.getRemoteAddr());
				response.sendRedirect(request.getContextPath() + "/login?error");
			}).successHandler(new ThrottleResettingSuccessHandler(throttle)))
			.logout(logout -> logout.logoutSuccessUrl("/"))
			// The token stays in the session, not in a cookie that outlives a restart:
			// a sibling subdomain or a plain-HTTP hop can plant a cookie, and so a
			// token of its choosing; the admin's forms need the session anyway; and a
			// token read from an upload form's URL would stay good while the browser
			// runs. A stale token costs one more click instead (StaleFormHandler).
			.csrf(csrf -> csrf.csrfTokenRequestHandler(new UploadTolerantCsrfTokenRequestHandler()))
			.exceptionHandling(exceptions -> exceptions
				.accessDeniedHandler(new DelegatingAccessDeniedHandler(byRefusal, new AccessDeniedHandlerImpl())))
			.headers(SecurityConfiguration::securityHeaders)
			.addFilterBefore(new ThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class);
		return http.build();
	}

	private static void securityHeaders(HeadersConfigurer<HttpSecurity> headers) {
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN));
	}

	/**
	 * Spring Security observes none of its filters, authentications or authorizations:
	 * with {@code management.observations.enable[spring.security]=false} alone each
	 * filter is still wrapped in a decorator that looks up and stops a no-op observation,
	 * on every request (docs/benchmarks.md, issue 16).
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	LoginThrottle loginThrottle(JdbcTemplate jdbc) {
		return new LoginThrottle(jdbc, Clock.systemUTC());
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	UserDetailsService adminAccount(AdminAccountProperties admin, MlPagesProperties properties,
			PasswordEncoder encoder) {
		return new InMemoryUserDetailsManager(AdminAccount.resolve(admin, properties.dataDir(), encoder));
	}

	/**
	 * Refuses HTTP Basic credentials from an address that failed too often, before they
	 * are checked: 429, as the login page.
	 */
	private static final class BasicThrottleFilter extends OncePerRequestFilter {

		private final LoginThrottle throttle;

		BasicThrottleFilter(LoginThrottle throttle) {
			this.throttle = throttle;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String authorization = request.getHeader("Authorization");
			if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
					&& throttle.isBlocked(request.getRemoteAddr())) {
				response.sendError(429);
				return;
			}
			chain.doFilter(request, response);
		}

	}

	/**
	 * Refuses login attempts from an address that failed too often, before the password
	 * is checked.
	 */
	private static final class ThrottleFilter extends OncePerRequestFilter {

		private final LoginThrottle throttle;

		ThrottleFilter(LoginThrottle throttle) {
			this.throttle = throttle;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (HttpMethod.POST.matches(request.getMethod()) && "/login".equals(request.getServletPath())
					&& throttle.isBlocked(request.getRemoteAddr())) {
				// the login page says why, with status 429, while the address stays
				// blocked
				response.sendRedirect(request.getContextPath() + "/login?blocked");
				return;
			}
			chain.doFilter(request, response);
		}

	}

}
