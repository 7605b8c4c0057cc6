package org.mlpages.credit.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.onnx.OnnxClassifier.Input;
import org.mlpages.onnx.OnnxClassifier.Prediction;
import org.mlpages.onnx.OnnxClassifier.ValueType;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The credit model exported to ONNX answers as the Tribuo model does, on every row it was
 * trained on, when ONNX Runtime runs it: one input per answer, as skl2onnx writes a
 * ColumnTransformer, and the ZipMap output.
 */
class CreditOnnxExportTest {

	@TempDir
	Path tmp;

	@Test
	void theExportedModelGivesTheSameProbabilityOnEveryTrainingRow() throws IOException {
		CreditModel model = CreditFixtures.model();
		Path file = Files.write(tmp.resolve("credit.onnx"), model.toOnnx());
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Example<Label> example : CreditData.load(CreditFixtures.CSV)) {
			Map<String, Object> answers = new LinkedHashMap<>();
			for (Feature feature : example) {
				String[] parts = feature.getName().split("@", 2);
				answers.put(parts[0], parts[1].equals("value") ? (Object) feature.getValue() : parts[1]);
			}
			rows.add(answers);
		}
		try (OnnxClassifier onnx = OnnxClassifier.open(file)) {
			assertThat(onnx.inputs()).hasSize(20)
				.contains(new Input("age", ValueType.FLOAT, 1), new Input("purpose", ValueType.STRING, 1));
			assertThat(onnx.classes()).containsExactly("bad", "good");
			assertThat(onnx.facts().operators()).containsExactlyInAnyOrder("Scaler", "OneHotEncoder", "Flatten",
					"Concat", "LinearClassifier", "ZipMap");
			List<Prediction> predictions = onnx.predict(rows);
			double worst = 0;
			for (int i = 0; i < rows.size(); i++) {
				double tribuo = model.probabilityGood(rows.get(i));
				double exported = predictions.get(i).probabilities().get("good");
				worst = Math.max(worst, Math.abs(tribuo - exported));
				assertThat(exported).as("row %d", i).isCloseTo(tribuo, within(1e-6));
				assertThat(predictions.get(i).probabilities().get("bad")).isCloseTo(1 - tribuo, within(1e-6));
			}
			assertThat(rows).as("every row of credit-g.csv").hasSize(1000);
			System.out.printf("credit exported to ONNX: %d rows, largest difference %.2e%n", rows.size(), worst);
		}
	}

}
