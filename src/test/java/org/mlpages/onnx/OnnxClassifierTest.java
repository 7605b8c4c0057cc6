package org.mlpages.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.onnx.OnnxClassifier.Input;
import org.mlpages.onnx.OnnxClassifier.Prediction;
import org.mlpages.onnx.OnnxClassifier.Probabilities;
import org.mlpages.onnx.OnnxClassifier.ValueType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Classifiers exported to ONNX, run by ONNX Runtime, each answer checked against the
 * model's own arithmetic computed here: a real scikit-learn logistic regression with
 * ZipMap, and the layouts of src/test/resources/tabular/generators (per-column string and
 * number inputs, a tree ensemble without ZipMap, three classes by softmax).
 */
class OnnxClassifierTest {

	private static final Path DIR = Path.of("src/test/resources/tabular/onnx");

	/**
	 * The class-1 coefficients and intercept of debayan_heart_model.onnx's
	 * LinearClassifier (its class-0 ones are their negations), as onnx.load lists them.
	 */
	private static final double[] HEART_W = { 1.1817198991775513, -1.2828056812286377, -1.3421679735183716,
			-0.8431272506713867, -0.17912818491458893, -0.392659455537796, 1.0934361219406128, 1.2502334117889404,
			-1.064383625984192, 0.129323348402977, 0.02562648616731167, -0.5125688910484314, 0.4177537262439728,
			-0.1309518665075302, 0.4972245991230011 };

	private static final double HEART_B = -0.5294077396392822;

	@TempDir
	Path tmp;

	@Test
	void aScikitLearnLogisticRegressionWithZipMapAnswersItsOwnLogisticFunction() throws IOException {
		try (OnnxClassifier heart = OnnxClassifier.open(DIR.resolve("debayan_heart_model.onnx"))) {
			assertThat(heart.inputs()).containsExactly(new Input("input", ValueType.FLOAT, 15));
			assertThat(heart.classes()).containsExactly("0", "1");
			assertThat(heart.probabilities()).isEqualTo(Probabilities.ZIPMAP);
			assertThat(heart.facts().producer()).isEqualTo("skl2onnx 1.19.1");
			assertThat(heart.facts().opsets()).containsEntry("", 9L).containsEntry("ai.onnx.ml", 1L);
			assertThat(heart.facts().operators()).containsExactly("LinearClassifier", "Cast", "ZipMap");

			double[][] rows = { new double[15], { 1, 0.5, -0.3, 2, 0, 1, -1, 0.2, 0.7, 1.5, -2, 0, 0.1, 3, -0.4 },
					{ -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 } };
			List<Prediction> predictions = heart
				.predict(Arrays.stream(rows).map(row -> Map.of("input", list(row))).toList());
			for (int i = 0; i < rows.length; i++) {
				double z = HEART_B;
				for (int j = 0; j < 15; j++) {
					z += HEART_W[j] * (float) rows[i][j];
				}
				double p1 = 1 / (1 + Math.exp(-z));
				assertThat(predictions.get(i).probabilities().get("1")).as("row " + i).isCloseTo(p1, within(1e-6));
				assertThat(predictions.get(i).probabilities().get("0")).isCloseTo(1 - p1, within(1e-6));
				assertThat(predictions.get(i).label()).isEqualTo(p1 > 0.5 ? "1" : "0");
			}
		}
	}

	/**
	 * As skl2onnx writes a ColumnTransformer: one input per column, strings among them.
	 */
	@Test
	void onePerColumnInputsOfStringsAndNumbers() throws IOException {
		try (OnnxClassifier model = OnnxClassifier.open(DIR.resolve("pipeline_strings.onnx"))) {
			assertThat(model.inputs()).containsExactly(new Input("sex", ValueType.STRING, 1),
					new Input("smoker", ValueType.STRING, 1), new Input("age", ValueType.FLOAT, 1));
			assertThat(model.classes()).containsExactly("bad", "good");
			List<Map<String, Object>> rows = List.of(Map.of("sex", "F", "smoker", "no", "age", 25),
					Map.of("sex", "M", "smoker", "yes", "age", 61.5), Map.of("sex", "M", "smoker", "no", "age", 40));
			List<Prediction> predictions = model.predict(rows);
			// the generator's weights: [sex=F, sex=M, smoker=no, smoker=yes, (age - 40) /
			// 12], bias -0.2
			double[] w = { 0.4, -0.3, -0.8, 0.9, 1.5 };
			for (int i = 0; i < rows.size(); i++) {
				Map<String, Object> row = rows.get(i);
				double z = -0.2 + (row.get("sex").equals("F") ? w[0] : w[1])
						+ (row.get("smoker").equals("no") ? w[2] : w[3])
						+ w[4] * (((Number) row.get("age")).doubleValue() - 40) / 12;
				double good = 1 / (1 + Math.exp(-z));
				assertThat(predictions.get(i).probabilities().get("good")).as("row " + i).isCloseTo(good, within(1e-6));
				assertThat(predictions.get(i).label()).isEqualTo(good > 0.5 ? "good" : "bad");
			}
		}
	}

	@Test
	void aTreeEnsembleWithoutZipMapGivesAProbabilityTensor() throws IOException {
		try (OnnxClassifier forest = OnnxClassifier.open(DIR.resolve("forest_no_zipmap.onnx"))) {
			assertThat(forest.probabilities()).isEqualTo(Probabilities.TENSOR);
			assertThat(forest.classes()).containsExactly("0", "1");
			double[][] rows = { { 1, 5, 0 }, { 3, 5, 0 }, { 3, 20, 1 }, { 2.5, 10, 9 } };
			List<Prediction> predictions = forest
				.predict(Arrays.stream(rows).map(r -> Map.of("input", list(r))).toList());
			for (int i = 0; i < rows.length; i++) {
				double[] x = rows[i];
				// the generator's two trees, averaged
				double[] first = x[0] <= 2.5 ? new double[] { 0.9, 0.1 }
						: x[2] <= 0.5 ? new double[] { 0.3, 0.7 } : new double[] { 0.0, 1.0 };
				double[] second = x[1] <= 10 ? new double[] { 0.6, 0.4 } : new double[] { 0.2, 0.8 };
				double p1 = (first[1] + second[1]) / 2;
				assertThat(predictions.get(i).probabilities().get("1")).as("row " + i).isCloseTo(p1, within(1e-6));
				assertThat(predictions.get(i).probabilities().get("0")).isCloseTo(1 - p1, within(1e-6));
			}
		}
	}

	@Test
	void threeClassesBySoftmax() throws IOException {
		try (OnnxClassifier iris = OnnxClassifier.open(DIR.resolve("three_classes.onnx"))) {
			assertThat(iris.classes()).containsExactly("setosa", "versicolor", "virginica");
			double[] x = { 0.7, -1.2 };
			Prediction p = iris.predict(List.of(Map.of("input", list(x)))).get(0);
			double[][] w = { { 1.0, -1.0 }, { 0.5, 0.5 }, { -1.5, 1.0 } };
			double[] b = { 0.1, 0.0, -0.3 };
			double[] e = new double[3];
			double sum = 0;
			for (int c = 0; c < 3; c++) {
				e[c] = Math.exp(w[c][0] * x[0] + w[c][1] * x[1] + b[c]);
				sum += e[c];
			}
			assertThat(p.probabilities().get("setosa")).isCloseTo(e[0] / sum, within(1e-6));
			assertThat(p.probabilities().get("versicolor")).isCloseTo(e[1] / sum, within(1e-6));
			assertThat(p.probabilities().get("virginica")).isCloseTo(e[2] / sum, within(1e-6));
			assertThat(p.label()).isEqualTo("setosa");
		}
	}

	/** FLOAT[N]: a column without its own axis, fed as a rank-1 tensor. */
	@Test
	void aRankOneInput() throws IOException {
		try (OnnxClassifier model = OnnxClassifier.open(DIR.resolve("flat_input.onnx"))) {
			assertThat(model.inputs()).containsExactly(new Input("x", ValueType.FLOAT, 1));
			List<Prediction> predictions = model.predict(List.of(Map.of("x", 0.25), Map.of("x", 2)));
			// the generator's weights: class 1 gets 2x - 1
			assertThat(predictions.get(0).probabilities().get("1")).isCloseTo(1 / (1 + Math.exp(0.5)), within(1e-6));
			assertThat(predictions.get(1).probabilities().get("1")).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-6));
		}
	}

	/** FLOAT[1, 2]: an exporter fixed the batch at one row, so rows go one by one. */
	@Test
	void aBatchFixedAtOneRow() throws IOException {
		try (OnnxClassifier model = OnnxClassifier.open(DIR.resolve("one_row.onnx"))) {
			List<Prediction> predictions = model
				.predict(List.of(Map.of("input", List.of(1, 2)), Map.of("input", List.of(-1, -0.5))));
			assertThat(predictions).hasSize(2);
			assertThat(predictions.get(0).probabilities().get("1")).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-6));
			assertThat(predictions.get(1).probabilities().get("1")).isCloseTo(1 / (1 + Math.exp(1.5)), within(1e-6));
		}
	}

	@Test
	void picklesAndFilesThatAreNotOnnxAreRefusedWithASentence() throws IOException {
		Path pickle = Files.write(tmp.resolve("model.bin"), new byte[] { (byte) 0x80, 4, (byte) 0x95, 0 });
		assertThatThrownBy(() -> OnnxClassifier.open(pickle)).isInstanceOf(OnnxModelException.class)
			.hasMessageStartingWith("model.bin is a Python pickle: loading a pickle runs the code it contains")
			.hasMessageContaining("skl2onnx.to_onnx");
		Path joblib = Files.writeString(tmp.resolve("pipeline.joblib"), "x compressed");
		assertThatThrownBy(() -> OnnxClassifier.open(joblib))
			.hasMessageStartingWith("pipeline.joblib is a Python pickle");

		byte[] whole = Files.readAllBytes(DIR.resolve("debayan_heart_model.onnx"));
		Path cut = Files.write(tmp.resolve("cut.onnx"), Arrays.copyOf(whole, whole.length / 2));
		assertThatThrownBy(() -> OnnxClassifier.open(cut)).isInstanceOf(OnnxModelException.class)
			.hasMessageStartingWith("cut.onnx is not an ONNX model, or one cut short");
		Path photo = Files.copy(Path.of("src/test/resources/photos/cdf_validation_cat.2000.jpg"),
				tmp.resolve("cat.onnx"));
		assertThatThrownBy(() -> OnnxClassifier.open(photo)).isInstanceOf(OnnxModelException.class)
			.hasMessageStartingWith("cat.onnx is not an ONNX model");
	}

	/**
	 * Closed while other threads predict (a model retired during a request): the running
	 * predictions finish, the later ones are refused, nothing crashes.
	 */
	@Test
	void closingWaitsForThePredictionsRunningAndRefusesTheNext() throws Exception {
		OnnxClassifier model = OnnxClassifier.open(DIR.resolve("pipeline_strings.onnx"));
		List<Map<String, Object>> rows = java.util.Collections.nCopies(64,
				Map.<String, Object>of("sex", "F", "smoker", "no", "age", 30));
		java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
		List<java.util.concurrent.Future<Throwable>> loops = new java.util.ArrayList<>();
		for (int t = 0; t < 2; t++) {
			loops.add(pool.submit(() -> {
				while (true) {
					try {
						assertThat(model.predict(rows)).hasSize(64);
						answered.incrementAndGet();
					}
					catch (Throwable ex) {
						return ex;
					}
				}
			}));
		}
		while (answered.get() < 20) {
			Thread.sleep(1);
		}
		model.close();
		for (var loop : loops) {
			assertThat(loop.get(10, java.util.concurrent.TimeUnit.SECONDS))
				.isInstanceOf(OnnxClassifier.ClosedException.class);
		}
		pool.shutdown();
	}

	@Test
	void aRowThatMissesAColumnIsNamed() throws IOException {
		try (OnnxClassifier model = OnnxClassifier.open(DIR.resolve("pipeline_strings.onnx"))) {
			assertThatThrownBy(() -> model.predict(List.of(Map.of("sex", "F", "age", 30))))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("row 0 has no value for smoker");
		}
	}

	private static List<Double> list(double[] row) {
		return Arrays.stream(row).boxed().toList();
	}

}
