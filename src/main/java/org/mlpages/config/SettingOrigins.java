package org.mlpages.config;

import java.io.IOException;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;

/** Says where a setting was written, in the operator's words, for error messages. */
final class SettingOrigins {

	private static final String ATTACHED = "configurationProperties";

	private SettingOrigins() {
	}

	/**
	 * Where the winning value of {@code key} comes from; {@code null} when no source has
	 * it.
	 */
	static Located locate(ConfigurableEnvironment environment, String key) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			// Boot's view over all the others comes first; the answer is in the source it
			// reads from
			if (source.containsProperty(key) && !ATTACHED.equals(source.getName())) {
				return locate(source, key);
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	static Located locate(PropertySource<?> source, String key) {
		Origin origin = source instanceof OriginLookup<?> lookup ? ((OriginLookup<String>) lookup).getOrigin(key)
				: null;
		while (origin instanceof PropertySourceOrigin wrapped && wrapped.getOrigin() != null) {
			origin = wrapped.getOrigin();
		}
		if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
			int line = text.getLocation() != null ? text.getLocation().getLine() + 1 : 0;
			return new Located("settings file " + fileName(text.getResource()), line, key);
		}
		if (origin instanceof SystemEnvironmentOrigin environment) {
			return new Located("environment variable " + environment.getProperty(), 0, key);
		}
		if (source instanceof SystemEnvironmentPropertySource) {
			return new Located("environment variable "
					+ key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), 0, key);
		}
		if (source instanceof OriginTrackedMapPropertySource || origin == null) {
			return new Located("property source '" + source.getName() + "'", 0, key);
		}
		return new Located(origin.toString(), 0, key);
	}

	/**
	 * The file as the operator named it in the import (relative stays relative), else the
	 * resource.
	 */
	static String fileName(Resource resource) {
		try {
			if (resource.isFile()) {
				return resource.getFile().getPath();
			}
		}
		catch (IOException ex) {
			// fall through to the description
		}
		return resource.getDescription();
	}

	record Located(String where, int line, String key) {

		SecretsFileException problem(String problem) {
			return new SecretsFileException(where, line, key, problem);
		}

	}

}
