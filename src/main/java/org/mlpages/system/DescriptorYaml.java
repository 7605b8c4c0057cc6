package org.mlpages.system;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

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
 * keys, enum names in any case ({@code center-crop}, {@code yes-no}); and written as the
 * "Add a model" pages write it.
 */
public final class DescriptorYaml {

	private DescriptorYaml() {
	}

	/**
	 * A descriptor as the "Add a model" pages write it: block YAML, accented letters as
	 * they are, under a line naming the README's section. SnakeYAML quotes a string YAML
	 * would read as something else ("no", "1.5").
	 */
	public static String write(Map<String, Object> descriptor, String readmeSection) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setAllowUnicode(true);
		return "# Written by the \"Add a model\" page; see the README, \"" + readmeSection + "\".\n"
				+ new Yaml(options).dump(descriptor);
	}

	/** Words in English and, when given, French, as a descriptor holds them. */
	public static Map<String, String> words(String en, String fr) {
		Map<String, String> words = new LinkedHashMap<>();
		words.put("en", en == null ? "" : en.strip());
		if (fr != null && !fr.isBlank()) {
			words.put("fr", fr.strip());
		}
		return words;
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
