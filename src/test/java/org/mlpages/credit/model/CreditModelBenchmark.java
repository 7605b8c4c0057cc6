package org.mlpages.credit.model;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Predictions per second of the committed credit model on one thread, for one applicant
 * as a form sends it (all strings). Not run by the test suite; run with
 * {@code java -cp <test classpath> org.mlpages.credit.model.CreditModelBenchmark} from
 * the project directory.
 *
 * <ul>
 * <li>{@code decide}: validation + the linear model evaluated from its weights + 20 exact
 * contributions, sorted — what a page or API request costs;</li>
 * <li>{@code probabilityGood}: validation + the linear model, no explanation;</li>
 * <li>{@code predictOnly}: Tribuo's own predict on a ready Example (z-scoring + linear
 * model + softmax), which the app no longer calls per request;</li>
 * <li>{@code validateOnly}: the schema check alone.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CreditModelBenchmark {

	private CreditModel model;

	private Map<String, Object> answers;

	private Example<Label> example;

	@Setup
	public void setUp() throws IOException {
		model = CreditModel.load(CreditFixtures.MODEL, CreditFixtures.SIDE);
		answers = Map.copyOf(CreditFixtures.applicant());
		List<CreditField> fields = model.schema().fields();
		String[] names = new String[fields.size()];
		double[] values = new double[fields.size()];
		for (int i = 0; i < fields.size(); i++) {
			CreditField field = fields.get(i);
			Object answer = answers.get(field.name());
			names[i] = field.featureName((String) answer);
			values[i] = field.kind() == CreditField.Kind.NUMERIC ? Double.parseDouble((String) answer) : 1.0;
		}
		example = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, values);
	}

	@Benchmark
	public CreditDecision decide() {
		return model.decide(answers);
	}

	@Benchmark
	public double probabilityGood() {
		return model.probabilityGood(answers);
	}

	@Benchmark
	public Prediction<Label> predictOnly() {
		return model.tribuoModel().predict(example);
	}

	@Benchmark
	public List<FieldError> validateOnly() {
		return model.schema().validate(answers, true);
	}

	public static void main(String[] args) throws RunnerException {
		new Runner(new OptionsBuilder().include(CreditModelBenchmark.class.getSimpleName()).build()).run();
	}

}
