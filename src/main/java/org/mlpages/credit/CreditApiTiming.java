package org.mlpages.credit;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The credit API's {@code http.server.requests} timer, recorded directly instead of
 * through a Micrometer observation: the observation builds its context, sorts its key
 * values and looks its meter up again on every request, 4 % of the server's CPU on a call
 * that takes tens of microseconds (docs/benchmarks.md, "Credit API: the path made
 * cheaper"). The series an operator scrapes keep their name and tags (method, uri,
 * status, outcome, exception, error); only {@code http.server.requests.active} leaves out
 * this one path. Other methods on the path, and every other path, stay observed.
 */
@Configuration(proxyBeanMethods = false)
class CreditApiTiming {

	static final String METER = "http.server.requests";

	@Bean
	ObservationPredicate creditApiUnobserved() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& isCreditApiPost(request.getCarrier()));
	}

	@Bean
	FilterRegistrationBean<TimerFilter> creditApiTimer(MeterRegistry registry) {
		FilterRegistrationBean<TimerFilter> registration = new FilterRegistrationBean<>(new TimerFilter(registry));
		registration.addUrlPatterns(CreditModels.API_PATH);
		// where Spring Boot puts its observation filter: the same span of the request
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	static boolean isCreditApiPost(HttpServletRequest request) {
		String uri = request.getRequestURI();
		return "POST".equals(request.getMethod())
				&& uri.length() == request.getContextPath().length() + CreditModels.API_PATH.length()
				&& uri.endsWith(CreditModels.API_PATH);
	}

	/** Times each POST to the credit API, with one timer kept per status answered. */
	static final class TimerFilter implements Filter {

		private static final String NONE = "none";

		private final MeterRegistry registry;

		/** The timers of requests the controller was chosen for, by status. */
		private final ConcurrentMap<Integer, Timer> answered = new ConcurrentHashMap<>();

		TimerFilter(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			if (!(request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
					&& isCreditApiPost(http))) {
				chain.doFilter(request, response);
				return;
			}
			long start = System.nanoTime();
			try {
				chain.doFilter(request, response);
			}
			catch (IOException | ServletException | RuntimeException | Error ex) {
				// as Spring's observation filter: an exception that leaves the
				// application is a 500, named in the tags
				Throwable error = ex instanceof ServletException servlet && servlet.getCause() != null
						? servlet.getCause() : ex;
				timer(HttpStatus.INTERNAL_SERVER_ERROR.value(), uri(http, 500), error.getClass().getSimpleName())
					.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				throw ex;
			}
			long nanos = System.nanoTime() - start;
			int status = answer.getStatus();
			Object error = http.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
			if (error != null || http.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) == null) {
				// refused before the controller was chosen (too large a body, another
				// Content-Type), or an exception resolved into an error page: tagged as
				// Spring's filter tags them
				String name = error instanceof Throwable thrown ? thrown.getClass().getSimpleName() : NONE;
				timer(status, uri(http, status), name).record(nanos, TimeUnit.NANOSECONDS);
				return;
			}
			Timer timer = answered.get(status);
			if (timer == null) {
				timer = answered.computeIfAbsent(status, code -> timer(code, CreditModels.API_PATH, NONE));
			}
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}

		/**
		 * The path's pattern once Spring MVC has chosen the controller; before that, the
		 * names Spring's observation convention gives a request without one.
		 */
		private static String uri(HttpServletRequest request, int status) {
			if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) != null) {
				return CreditModels.API_PATH;
			}
			if (status == HttpStatus.NOT_FOUND.value()) {
				return "NOT_FOUND";
			}
			return HttpStatus.Series.resolve(status) == HttpStatus.Series.REDIRECTION ? "REDIRECTION" : "UNKNOWN";
		}

		private Timer timer(int status, String uri, String error) {
			return Timer.builder(METER)
				.tag("error", error)
				.tag("exception", error)
				.tag("method", "POST")
				.tag("outcome", outcome(status))
				.tag("status", String.valueOf(status))
				.tag("uri", uri)
				.register(registry);
		}

		/**
		 * Spring's names for a status class, as its observation convention gives them.
		 */
		private static String outcome(int status) {
			HttpStatus.Series series = HttpStatus.Series.resolve(status);
			if (series == null) {
				return "UNKNOWN";
			}
			return switch (series) {
				case INFORMATIONAL -> "INFORMATIONAL";
				case SUCCESSFUL -> "SUCCESS";
				case REDIRECTION -> "REDIRECTION";
				case CLIENT_ERROR -> "CLIENT_ERROR";
				case SERVER_ERROR -> "SERVER_ERROR";
			};
		}

	}

}
