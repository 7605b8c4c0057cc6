package org.mlpages.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin.Location;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;

/**
 * Lets Spring import a TOML file written for Streamlit ({@code .streamlit/secrets.toml}),
 * so a team keeps one secrets file. What it reads:
 * <ul>
 * <li>{@code [connections.<name>]} tables, kept as {@code connections.<name>.<key>}
 * properties; {@link DatabaseEnvironment} picks one and turns it into
 * {@code spring.datasource.*};</li>
 * <li>an {@code [admin]} table, read as {@code mlpages.admin.*} ({@code password_hash} as
 * {@code password-hash});</li>
 * <li>tables and keys under {@code mlpages}, {@code spring}, {@code server},
 * {@code management} and {@code logging}, read as the Spring properties they spell.</li>
 * </ul>
 * Anything else (a Streamlit app's own API keys, say) is left alone: it never becomes a
 * property. Every value keeps its line, so a later error can point at it.
 */
public class StreamlitSecretsLoader implements PropertySourceLoader {

	private static final TomlMapper TOML = TomlMapper.builder().build();

	private static final Set<String> SPRING_ROOTS = Set.of("mlpages", "spring", "server", "management", "logging");

	@Override
	public String[] getFileExtensions() {
		return new String[] { "toml" };
	}

	@Override
	public List<PropertySource<?>> load(String name, Resource resource) throws IOException {
		String text;
		try (InputStream in = resource.getInputStream()) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		List<String> lines = text.lines().toList();
		String file = "settings file " + SettingOrigins.fileName(resource);
		JsonNode root;
		try {
			root = TOML.readTree(text);
		}
		catch (JacksonException ex) {
			int line = ex.getLocation() != null ? ex.getLocation().getLineNr() : 0;
			// Jackson's TOML messages are fixed phrases ("Unknown token", "Duplicate
			// key"); the excerpt of
			// the source, which could show a value, is not part of the original message
			throw new SecretsFileException(file, Math.max(line, 0), line > 0 ? KeyLines.tomlKeyAt(lines, line) : null,
					"not valid TOML (" + ex.getOriginalMessage() + ")");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		if (root != null) {
			for (Map.Entry<String, JsonNode> entry : root.properties()) {
				String key = entry.getKey();
				if (key.equals("connections") || SPRING_ROOTS.contains(key)) {
					flatten(key, key, entry.getValue(), properties, resource, lines, false);
				}
				else if (key.equals("admin")) {
					flatten("mlpages.admin", key, entry.getValue(), properties, resource, lines, true);
				}
			}
		}
		if (properties.isEmpty()) {
			return List.of();
		}
		return List.of(new OriginTrackedMapPropertySource(name, properties, true));
	}

	private static void flatten(String property, String tomlPath, JsonNode node, Map<String, Object> properties,
			Resource resource, List<String> lines, boolean kebab) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				String key = kebab ? entry.getKey().replace('_', '-').toLowerCase(Locale.ROOT) : entry.getKey();
				flatten(property + "." + key, tomlPath + "." + entry.getKey(), entry.getValue(), properties, resource,
						lines, kebab);
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				flatten(property + "[" + i + "]", tomlPath, node.get(i), properties, resource, lines, kebab);
			}
		}
		else {
			int line = KeyLines.tomlLineOf(lines, tomlPath);
			Location location = line > 0 ? new Location(line - 1, 0) : null;
			properties.put(property,
					OriginTrackedValue.of(node.asString(), new TextResourceOrigin(resource, location)));
		}
	}

}
