package org.mlpages.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.mlpages.credit.CreditModels;
import org.mlpages.credit.model.CreditDecision;
import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.CreditModel;
import org.mlpages.tabular.TabularDescriptorReader;
import org.mlpages.tabular.TabularModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One credit application as the API handles it in-process, without HTTP and the database:
 * its answers checked, decided with the explanation, and the JSON the log row takes
 * written. Before the credit model was a tabular model (the credit service of 6286351:
 * {@code CreditSchema.validate}, {@code CreditModel.decide}, the answers as JSON) against
 * the tabular path it takes now ({@code TabularModel.read} and {@code decide}, the
 * answers and the explanation as JSON). Prints microseconds per application and the
 * ratio, measured in the same run.
 * <p>
 * {@code bench/credit-path.sh}; system properties {@code bench.seconds} (per iteration,
 * 1), {@code bench.iterations} (5), {@code bench.warmup} (3), {@code bench.out}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CreditPathBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CreditModel credit;

	private TabularModel tabular;

	/** As the API parses the sample body: numbers as numbers. */
	private Map<String, Object> answers;

	@Setup
	public void load() throws IOException {
		Path modelFile = BenchSupport.MODELS.resolve("credit.model");
		credit = CreditModel.load(modelFile, BenchSupport.MODELS.resolve("credit.report.json"));
		tabular = CreditModels.serve(credit, TabularDescriptorReader.read(BenchSupport.MODELS.resolve("credit.yml")),
				modelFile, System.nanoTime());
		answers = JSON.readValue(Files.readString(Path.of("bench/credit/sample.json")),
				new TypeReference<LinkedHashMap<String, Object>>() {
				});
	}

	/** The credit service's steps before the change. */
	@Benchmark
	public String creditService() {
		if (!credit.schema().validate(answers, true).isEmpty()) {
			throw new IllegalStateException();
		}
		Map<String, String> validated = new LinkedHashMap<>();
		for (CreditField field : credit.schema().fields()) {
			Object value = answers.get(field.name());
			String text = value instanceof String string ? string.strip() : String.valueOf(value);
			if (field.kind() == CreditField.Kind.NUMERIC && value instanceof Number number) {
				text = field.integer() ? String.valueOf(number.longValue()) : number.toString();
			}
			validated.put(field.name(), text);
		}
		CreditDecision decision = credit.decide(answers);
		return JSON.writeValueAsString(validated) + decision.probabilityGood();
	}

	/** The tabular service's steps, as the credit API takes them now. */
	@Benchmark
	public String tabularService() {
		Map<String, String> texts = new LinkedHashMap<>();
		answers.forEach((key, value) -> texts.put(key, String.valueOf(value)));
		TabularModel.Answers read = tabular.read(texts);
		TabularModel.Decision decision = tabular.decide(read);
		Map<String, Object> explanation = new LinkedHashMap<>();
		explanation.put("explained", decision.explained());
		explanation.put("explainedIn", decision.explainedIn());
		explanation.put("contributions", decision.contributions());
		return JSON.writeValueAsString(read.sent()) + JSON.writeValueAsString(explanation);
	}

	public static void main(String[] args) throws RunnerException, IOException {
		String loadBefore = BenchSupport.load();
		Map<String, double[]> micros = BenchSupport.jmh(CreditPathBenchmark.class);
		double[] before = micros.get("creditService");
		double[] now = micros.get("tabularService");
		String out = "### One credit application in-process: the credit service's steps against the tabular path\n\n"
				+ "load before/after: " + loadBefore + " / " + BenchSupport.load() + "\n\n"
				+ "| path | µs per application |\n|---|---|\n"
				+ String.format(Locale.ROOT, "| credit service (before) | %.2f ± %.2f |%n", before[0], before[1])
				+ String.format(Locale.ROOT, "| tabular (now) | %.2f ± %.2f |%n", now[0], now[1])
				+ String.format(Locale.ROOT, "%ntabular / credit service: %.2f%n", now[0] / before[0]);
		BenchSupport.report(out);
	}

}
