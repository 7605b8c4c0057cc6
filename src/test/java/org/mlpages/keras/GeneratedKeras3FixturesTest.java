package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every fixture written by {@code generators/make_keras3_fixtures.py}: Keras 3's own
 * layouts (a Functional model with a nested one, a Sequential one with augmentation
 * layers and CenterCrop, weights-only and sharded weights with their architecture), whose
 * layers are named unlike the groups their weights are stored in. Each is imported and
 * run through TensorFlow and compared with the script's float64 numpy computation.
 */
class GeneratedKeras3FixturesTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path cache;

	@BeforeAll
	static void natives() {
		TestSupport.loadNatives();
	}

	static Stream<Arguments> fixtures() {
		JsonNode index = JSON.readTree(TestSupport.fixture("generated-keras3/index.json").toFile());
		List<Arguments> out = new ArrayList<>();
		for (JsonNode f : index) {
			out.add(Arguments.of(f.get("name").stringValue(), f.get("model").stringValue(),
					f.has("arch") ? f.get("arch").stringValue() : null, f.get("form").stringValue()));
		}
		return out.stream();
	}

	@ParameterizedTest(name = "{0} ({3})")
	@MethodSource("fixtures")
	void agreesWithTheNumpyReference(String name, String modelFile, String archFile, String form) throws Exception {
		Path dir = TestSupport.fixture("generated-keras3/index.json").getParent();
		ImportedModel model = new KerasModelImporter().importModel(dir.resolve(modelFile),
				archFile == null ? null : dir.resolve(archFile), cache);
		Npy.Array input = Npy.read(dir.resolve(name + ".input.npy"));
		Npy.Array expected = Npy.read(dir.resolve(name + ".expected.npy"));
		Npy.Array actual = TestSupport.run(model, input);
		assertThat(actual.shape()).containsExactly(expected.shape());
		assertThat(TestSupport.maxAbsDifference(actual, expected)).as("max abs difference of %s", name)
			.isLessThanOrEqualTo(1e-4);
	}

}
