package org.mlpages.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which models are linear in their log-odds, from what the files declare: one
 * LinearClassifier with a logistic or softmax output, behind operators that act column by
 * column.
 */
class OnnxGraphFactsTest {

	private static final Path DIR = Path.of("src/test/resources/tabular/onnx");

	@Test
	void theTestModelsAreReadAsTheyAre() throws IOException {
		OnnxGraphFacts heart = OnnxGraphFacts.read(DIR.resolve("debayan_heart_model.onnx"));
		assertThat(heart.linearClassifiers()).containsExactly("LOGISTIC");
		assertThat(heart.linearInLogOdds()).isTrue();
		assertThat(OnnxGraphFacts.read(DIR.resolve("pipeline_strings.onnx")).linearInLogOdds()).as("with encoders")
			.isTrue();
		assertThat(OnnxGraphFacts.read(DIR.resolve("forest_no_zipmap.onnx")).linearInLogOdds()).as("trees").isFalse();
	}

	@Test
	void onlyOneLinearClassifierWithAProbabilityOutputIsLinearInItsLogOdds() {
		assertThat(facts(Set.of("Scaler", "LinearClassifier", "ZipMap"), List.of("LOGISTIC")).linearInLogOdds())
			.isTrue();
		assertThat(facts(Set.of("LinearClassifier"), List.of("SOFTMAX")).linearInLogOdds()).isTrue();
		assertThat(facts(Set.of("LinearClassifier", "Concat"), List.of("LOGISTIC", "LOGISTIC")).linearInLogOdds())
			.as("one classifier stacked on another")
			.isFalse();
		assertThat(facts(Set.of("LinearClassifier"), List.of("NONE")).linearInLogOdds()).as("raw scores").isFalse();
		assertThat(facts(Set.of("Normalizer", "LinearClassifier"), List.of("LOGISTIC")).linearInLogOdds())
			.as("a row normalised as a whole")
			.isFalse();
	}

	private static OnnxGraphFacts facts(Set<String> operators, List<String> linearClassifiers) {
		return new OnnxGraphFacts("test", Map.of(), operators, List.of(), linearClassifiers);
	}

}
