package org.mlpages.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.mlpages.credit.model.CreditDecision;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.onnx.OnnxClassifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.RunnerException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The credit decision in-process, through the Tribuo model (its weights, as the credit
 * page decides) and through the same model exported to ONNX and run by ONNX Runtime (as a
 * tabular model's page decides): the probability alone, and the probability with an
 * explanation (Tribuo's exact per-answer contributions; for ONNX the row and its 20
 * variants, each answer replaced by a baseline, in one call). Prints microseconds per
 * decision and each ONNX figure's ratio to Tribuo's, measured in the same run.
 * <p>
 * {@code bench/credit-onnx.sh}; system properties {@code bench.seconds} (per iteration,
 * 1), {@code bench.iterations} (5), {@code bench.warmup} (3), {@code bench.out}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CreditOnnxBenchmark {

	private CreditModel tribuo;

	private OnnxClassifier onnx;

	private Map<String, Object> answers;

	private List<Map<String, Object>> onnxRow;

	private List<Map<String, Object>> explainedRows;

	@Setup
	public void load() throws IOException {
		tribuo = CreditModel.load(BenchSupport.MODELS.resolve("credit.model"),
				BenchSupport.MODELS.resolve("credit.report.json"));
		Path file = Files.createTempFile("credit", ".onnx");
		Files.write(file, tribuo.toOnnx());
		onnx = OnnxClassifier.open(file);
		Files.delete(file);
		JsonMapper json = JsonMapper.builder().build();
		answers = json.readValue(Files.readString(Path.of("bench/credit/sample.json")),
				new TypeReference<LinkedHashMap<String, Object>>() {
				});
		Map<String, Object> row = onnxRow(answers);
		onnxRow = List.of(row);
		// each answer replaced by another applicant's (the second example of credit.yml
		// would do as well): the baselines' values do not change the cost
		Map<String, Object> other = new LinkedHashMap<>(row);
		other.replaceAll((field, value) -> value instanceof Double d ? d + 1 : value);
		explainedRows = new ArrayList<>();
		explainedRows.add(row);
		for (String field : row.keySet()) {
			Map<String, Object> variant = new LinkedHashMap<>(row);
			variant.put(field, other.get(field));
			explainedRows.add(variant);
		}
	}

	/** Numbers as numbers (the ONNX inputs are floats), categories as they are. */
	private Map<String, Object> onnxRow(Map<String, Object> sent) {
		Map<String, Object> row = new LinkedHashMap<>();
		for (CreditField field : tribuo.schema().fields()) {
			Object value = sent.get(field.name());
			row.put(field.name(), field.kind() == CreditField.Kind.NUMERIC ? ((Number) value).doubleValue() : value);
		}
		return row;
	}

	@TearDown
	public void close() {
		onnx.close();
	}

	@Benchmark
	public double tribuoProbability() {
		return tribuo.probabilityGood(answers);
	}

	@Benchmark
	public double onnxProbability() {
		return onnx.predict(onnxRow).get(0).probabilities().get("good");
	}

	@Benchmark
	public CreditDecision tribuoExplained() {
		return tribuo.decide(answers);
	}

	@Benchmark
	public Object onnxExplained() {
		return onnx.predict(explainedRows);
	}

	public static void main(String[] args) throws RunnerException, IOException {
		String loadBefore = BenchSupport.load();
		Map<String, Double> micros = new LinkedHashMap<>();
		Map<String, Double> errors = new LinkedHashMap<>();
		BenchSupport.jmh(CreditOnnxBenchmark.class).forEach((name, score) -> {
			micros.put(name, score[0]);
			errors.put(name, score[1]);
		});
		StringBuilder out = new StringBuilder();
		out.append("### The credit decision in-process: Tribuo's weights against the same model in ONNX Runtime\n\n");
		out.append("load before/after: ").append(loadBefore).append(" / ").append(BenchSupport.load()).append("\n\n");
		out.append("| decision | Tribuo µs | ONNX Runtime µs | ONNX / Tribuo |\n|---|---|---|---|\n");
		for (String[] pair : new String[][] { { "probability alone", "tribuoProbability", "onnxProbability" },
				{ "with its explanation", "tribuoExplained", "onnxExplained" } }) {
			out.append(String.format(Locale.ROOT, "| %s | %.2f ± %.2f | %.2f ± %.2f | %.1f |%n", pair[0],
					micros.get(pair[1]), errors.get(pair[1]), micros.get(pair[2]), errors.get(pair[2]),
					micros.get(pair[2]) / micros.get(pair[1])));
		}
		BenchSupport.report(out.toString());
	}

}
