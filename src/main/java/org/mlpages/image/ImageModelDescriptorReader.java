package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Reads a descriptor with Spring Boot's own YAML loader and binder, so it accepts what an
 * {@code application.yml} accepts (kebab-case or camelCase keys, enum names in any case).
 */
final class ImageModelDescriptorReader {

	private ImageModelDescriptorReader() {
	}

	static ImageModelDescriptor read(Path file) {
		List<PropertySource<?>> sources;
		try {
			sources = new YamlPropertySourceLoader().load(file.getFileName().toString(), new FileSystemResource(file));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidDescriptorException("cannot read " + file.getFileName() + ": " + rootMessage(ex), ex);
		}
		try {
			ImageModelDescriptor descriptor = new Binder(ConfigurationPropertySources.from(sources))
				.bind("", Bindable.of(ImageModelDescriptor.class))
				.orElseThrow(() -> new InvalidDescriptorException(file.getFileName() + " is empty"));
			descriptor.validate();
			return descriptor;
		}
		catch (BindException ex) {
			throw new InvalidDescriptorException(
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
