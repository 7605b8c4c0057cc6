package org.mlpages.tabular;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Reads a tabular descriptor with Spring Boot's YAML loader and binder, as the image
 * models' are read: kebab-case or camelCase keys, kinds in any case ({@code yes-no}).
 */
final class TabularDescriptorReader {

	private TabularDescriptorReader() {
	}

	static TabularDescriptor read(Path file) {
		List<PropertySource<?>> sources;
		try {
			sources = new YamlPropertySourceLoader().load(file.getFileName().toString(), new FileSystemResource(file));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidTabularModelException("cannot read " + file.getFileName() + ": " + rootMessage(ex), ex);
		}
		try {
			return new Binder(ConfigurationPropertySources.from(sources)).bind("", Bindable.of(TabularDescriptor.class))
				.orElseThrow(() -> new InvalidTabularModelException(file.getFileName() + " is empty"));
		}
		catch (BindException ex) {
			throw new InvalidTabularModelException(
					"in " + file.getFileName() + ", " + ex.getName() + ": " + rootMessage(ex), ex);
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
