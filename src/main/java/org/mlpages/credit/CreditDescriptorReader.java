package org.mlpages.credit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Reads {@code credit.yml} with Spring Boot's YAML loader and binder, as the image
 * descriptors are read.
 */
final class CreditDescriptorReader {

	private CreditDescriptorReader() {
	}

	static CreditDescriptor read(Path file) throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file.getFileName().toString(),
				new FileSystemResource(file));
		CreditDescriptor descriptor = new Binder(ConfigurationPropertySources.from(sources))
			.bind("", Bindable.of(CreditDescriptor.class))
			.orElseThrow(() -> new IllegalArgumentException(file.getFileName() + " is empty"));
		if (descriptor.title() == null || descriptor.fields() == null || descriptor.sections() == null) {
			throw new IllegalArgumentException(file.getFileName() + " needs a title, sections and fields");
		}
		return descriptor;
	}

}
