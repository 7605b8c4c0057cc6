package org.mlpages.system;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Language: the browser's Accept-Language until the reader picks one with the switch in
 * the layout ({@code ?lang=fr}), which a cookie then remembers.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.FRENCH);

	private final LayoutInterceptor layout;

	WebConfiguration(LayoutInterceptor layout) {
		this.layout = layout;
	}

	@Bean
	LocaleResolver localeResolver() {
		CookieLocaleResolver resolver = new CookieLocaleResolver("mlpages-lang");
		resolver.setDefaultLocaleFunction(WebConfiguration::preferredSupportedLocale);
		resolver.setCookieMaxAge(Duration.ofDays(365));
		return resolver;
	}

	/**
	 * The browser's first language that the app speaks; English when it speaks none of
	 * them.
	 */
	static Locale preferredSupportedLocale(HttpServletRequest request) {
		for (Locale candidate : Collections.list(request.getLocales())) {
			for (Locale supported : SUPPORTED) {
				if (supported.getLanguage().equals(candidate.getLanguage())) {
					return supported;
				}
			}
		}
		return Locale.ENGLISH;
	}

	/**
	 * Spring Boot turns the resource chain on when webjars-locator-lite is present (it
	 * serves {@code /webjars/bootstrap/...} without a version), and with it a filter that
	 * passes every link a page writes through the static resource handlers. Nothing here
	 * has a versioned URL to rewrite, and a link that is no static file (the menu's, the
	 * forms') was looked up in every static location of the jar at every render, under
	 * one lock of Spring Boot's jar loader: with 200 clients, 29 request threads waited
	 * on that lock. Off, the links are written as they are.
	 */
	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
		// declared, Spring Boot's own is not
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(
				new ResourceUrlEncodingFilter());
		registration.setEnabled(false);
		return registration;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
		interceptor.setParamName("lang");
		interceptor.setIgnoreInvalidLocale(true);
		registry.addInterceptor(interceptor);
		registry.addInterceptor(layout);
	}

}
