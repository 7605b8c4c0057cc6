package org.mlpages.system;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * A model's descriptor (the YAML beside it) read with Spring Boot's own YAML loader and
 * binder, so it accepts what an {@code application.yml} accepts: kebab-case or camelCase
 * keys, enum names in any case ({@code center-crop}, {@code yes-no}).
 */
public final class DescriptorYaml {

	private DescriptorYaml() {
	}

	/**
	 * @param refusal the feature's own exception for a file that cannot be read or bound,
	 * from a sentence and its cause
	 */
	public static <T> T read(Path file, Class<T> type, BiFunction<String, Throwable, RuntimeException> refusal) {
		List<PropertySource<?>> sources;
		try {
			sources = new YamlPropertySourceLoader().load(file.getFileName().toString(), new FileSystemResource(file));
		}
		catch (IOException | RuntimeException ex) {
			throw refusal.apply("cannot read " + file.getFileName() + ": " + rootMessage(ex), ex);
		}
		try {
			return new Binder(ConfigurationPropertySources.from(sources)).bind("", Bindable.of(type))
				.orElseThrow(() -> refusal.apply(file.getFileName() + " is empty", null));
		}
		catch (BindException ex) {
			throw refusal.apply("in " + file.getFileName() + ", " + ex.getName() + ": " + rootMessage(ex), ex);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage();
	}

}
