package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every fixture written by {@code generators/make_fixtures.py}: one per layer kind and
 * one per file layout (Keras 2.1 to Keras 3, full models and weights-only files with
 * their architecture JSON). Each is imported and exported as a SavedModel, run through
 * TensorFlow, and compared with the output the script computed in float64 with numpy
 * loops.
 */
class GeneratedFixturesTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final double TOLERANCE = 1e-4;

	private static final List<String> REPORT = new ArrayList<>();

	@TempDir
	static Path cache;

	@BeforeAll
	static void natives() {
		TestSupport.loadNatives();
	}

	@AfterAll
	static void report() {
		System.out.println("Generated fixtures, max abs difference:\n  " + String.join("\n  ", REPORT));
	}

	static Stream<Arguments> fixtures() {
		JsonNode index = JSON.readTree(TestSupport.fixture("generated/index.json").toFile());
		List<Arguments> out = new ArrayList<>();
		for (JsonNode f : index) {
			out.add(Arguments.of(f.get("name").stringValue(), f.get("layout").stringValue(),
					f.get("weightsOnly").booleanValue()));
		}
		return out.stream();
	}

	@ParameterizedTest(name = "{0} ({1})")
	@MethodSource("fixtures")
	void agreesWithTheNumpyReference(String name, String layout, boolean weightsOnly) throws Exception {
		Path dir = TestSupport.fixture("generated/index.json").getParent();
		Path arch = weightsOnly ? dir.resolve(name + ".arch.json") : null;
		assertThat(arch == null || Files.isRegularFile(arch)).isTrue();
		ImportedModel model = new KerasModelImporter().importModel(dir.resolve(name + ".h5"), arch, cache);
		Npy.Array input = Npy.read(dir.resolve(name + ".input.npy"));
		Npy.Array expected = Npy.read(dir.resolve(name + ".expected.npy"));
		Npy.Array actual;
		try (SavedModelRunner runner = new SavedModelRunner(model)) {
			actual = runner.run(input.shape(), input.floats());
		}
		assertThat(actual.shape()).containsExactly(expected.shape());
		double max = 0;
		for (int i = 0; i < expected.values().length; i++) {
			max = Math.max(max, Math.abs(actual.values()[i] - expected.values()[i]));
		}
		synchronized (REPORT) {
			REPORT.add(String.format("%-40s %-16s %.2e", name, layout, max));
		}
		assertThat(max).as("max abs difference of %s", name).isLessThanOrEqualTo(TOLERANCE);
	}

}
