package org.mlpages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/architecture.md's map against the code: the packages under {@code org.mlpages} and
 * the imports between them, read from the sources.
 */
class ArchitectureTests {

	private static final Path SOURCES = Path.of("src/main/java/org/mlpages");

	private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.mlpages\\.([a-z]+)\\.",
			Pattern.MULTILINE);

	private static final Pattern ARROW = Pattern.compile("^\\s+([a-z]+) --> ([a-z]+)\\s*$", Pattern.MULTILINE);

	@Test
	void theMapDrawsEveryImportBetweenPackagesAndNoOther() throws IOException {
		Map<String, Set<String>> drawn = drawn();
		Map<String, Set<String>> imports = imports();
		assertThat(drawn).as("docs/architecture.md's arrows against the imports of src/main/java").isEqualTo(imports);
	}

	@Test
	void theDependenciesBetweenPackagesRunOneWay() throws IOException {
		Map<String, Set<String>> imports = imports();
		for (String start : imports.keySet()) {
			assertThat(reachable(start, imports)).as("packages reached from " + start).doesNotContain(start);
		}
	}

	@Test
	void theImporterAndTheOnnxRunnerAreLibrariesWithoutSpringOrTheApp() throws IOException {
		for (String library : List.of("keras", "onnx")) {
			for (Path file : javaFiles(SOURCES.resolve(library))) {
				String code = Files.readString(file);
				assertThat(code).as(file.toString()).doesNotContain("import org.springframework");
				Matcher m = IMPORT.matcher(code);
				while (m.find()) {
					assertThat(m.group(1)).as(file + " imports org.mlpages." + m.group(1)).isIn("keras", "onnx");
				}
			}
		}
	}

	private static Map<String, Set<String>> drawn() throws IOException {
		String doc = Files.readString(Path.of("docs/architecture.md"));
		int start = doc.indexOf("```mermaid");
		String picture = doc.substring(start, doc.indexOf("```", start + 3));
		Map<String, Set<String>> arrows = new TreeMap<>();
		Matcher m = ARROW.matcher(picture);
		while (m.find()) {
			arrows.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
		}
		return arrows;
	}

	/**
	 * Package to the packages it imports; {@code app} for the classes of org.mlpages
	 * itself.
	 */
	private static Map<String, Set<String>> imports() throws IOException {
		Map<String, Set<String>> imports = new TreeMap<>();
		for (Path file : javaFiles(SOURCES)) {
			Path relative = SOURCES.relativize(file);
			String from = relative.getNameCount() == 1 ? "app" : relative.getName(0).toString();
			Matcher m = IMPORT.matcher(Files.readString(file));
			while (m.find()) {
				if (!m.group(1).equals(from)) {
					imports.computeIfAbsent(from, k -> new TreeSet<>()).add(m.group(1));
				}
			}
		}
		return imports;
	}

	private static Set<String> reachable(String start, Map<String, Set<String>> imports) {
		Set<String> seen = new TreeSet<>();
		List<String> next = new ArrayList<>(imports.getOrDefault(start, Set.of()));
		while (!next.isEmpty()) {
			String p = next.remove(next.size() - 1);
			if (seen.add(p)) {
				next.addAll(imports.getOrDefault(p, Set.of()));
			}
		}
		return seen;
	}

	private static List<Path> javaFiles(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
		}
	}

}
