package org.mlpages.tabular;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.onnx.OnnxModelException;
import org.mlpages.tabular.TabularDescriptor.ClassText;
import org.mlpages.tabular.TabularDescriptor.Field;
import org.mlpages.tabular.TabularDescriptor.Kind;
import org.mlpages.tabular.TabularDescriptor.Option;

/**
 * A tabular classifier (an ONNX file, or the built-in credit model) with its descriptor,
 * checked against each other when loaded: every input of the model is filled by the form,
 * every field feeds an input that takes its kind of answer. Reads a person's or a
 * program's answers, field by field, and decides on them, with an explanation: how much
 * each answer moved the probability of the class the decision is about, against its
 * baseline value.
 */
public final class TabularModel implements AutoCloseable {

	/**
	 * An answer refused, with the message key's last part ({@code tabular.error.<code>})
	 * and its arguments.
	 */
	public record FieldError(String field, String code, List<Object> arguments) {
	}

	/**
	 * A row of answers: each field's value as the model takes it, the text as it was
	 * sent, and what was refused.
	 */
	public record Answers(Map<String, Object> values, Map<String, String> sent, List<FieldError> errors) {

		public boolean valid() {
			return errors.isEmpty();
		}

	}

	/**
	 * How much an answer moved the decision: the explained class's probability with the
	 * answer, less the same with the field's baseline instead; or, for a linear model,
	 * the answer's exact share of that class's log-odds against the average training row.
	 */
	public record Contribution(String field, double change) {
	}

	/** Contributions in points of probability, against each field's baseline. */
	public static final String PROBABILITY = "probability";

	/** Contributions in log-odds: a linear model's exact shares. */
	public static final String LOG_ODDS = "log-odds";

	/**
	 * The model's answer on a row.
	 *
	 * @param label the decided class
	 * @param probabilities each class's probability, in the model's order
	 * @param threshold the positive class's threshold, or null for a model of more
	 * classes
	 * @param explained the class whose probability the contributions move
	 * @param explainedIn {@link #PROBABILITY} or {@link #LOG_ODDS}
	 * @param contributions by field, largest change first; fields without a baseline are
	 * not explained (except for a linear model, whose every field is)
	 */
	public record Decision(String label, Map<String, Double> probabilities, Double threshold, String explained,
			String explainedIn, List<Contribution> contributions) {
	}

	private final String name;

	private final Path file;

	private final String sha256;

	private final TabularDescriptor descriptor;

	private final TabularEngine engine;

	private final List<String> classes;

	private final String positive;

	private final Double threshold;

	private final long loadMillis;

	private final String pagePath;

	/** The fields by name, read for every answer of every request. */
	private final Map<String, Field> fieldsByName = new HashMap<>();

	/** Each explained field's baseline as the model takes it, read once at load. */
	private final Map<String, Object> baselines = new LinkedHashMap<>();

	private TabularModel(String name, String pagePath, Path file, String sha256, TabularDescriptor descriptor,
			TabularEngine engine, String positive, Double threshold, long loadMillis) {
		this.name = name;
		this.pagePath = pagePath;
		this.file = file;
		this.sha256 = sha256;
		this.descriptor = descriptor;
		this.engine = engine;
		this.classes = engine.classes();
		this.positive = positive;
		this.threshold = threshold;
		this.loadMillis = loadMillis;
		descriptor.fieldList().forEach(field -> fieldsByName.put(field.name(), field));
	}

	/**
	 * @throws InvalidTabularModelException for a file or descriptor that cannot serve, or
	 * two that do not fit each other, with the reason
	 */
	public static TabularModel load(String name, Path modelFile, Path descriptorFile) throws IOException {
		long start = System.nanoTime();
		OnnxClassifier classifier;
		try {
			// a pickle is refused first, whatever lies beside it
			classifier = OnnxClassifier.open(modelFile);
		}
		catch (OnnxModelException ex) {
			throw new InvalidTabularModelException(ex.getMessage(), ex);
		}
		try {
			if (!Files.isRegularFile(descriptorFile)) {
				throw new InvalidTabularModelException(modelFile.getFileName() + " has no descriptor: write "
						+ descriptorFile.getFileName() + " beside it (java -jar mlpages.jar describe "
						+ modelFile.getFileName() + " prints one to complete)");
			}
			TabularDescriptor descriptor = TabularDescriptorReader.read(descriptorFile);
			String where = "in " + descriptorFile.getFileName() + ", ";
			check(descriptor, where);
			return serve(name, "/tabular/" + name, modelFile, sha256(modelFile), descriptor,
					OnnxEngine.fit(classifier, descriptor, where), where, start);
		}
		catch (RuntimeException | IOException ex) {
			classifier.close();
			throw ex;
		}
	}

	/**
	 * A model whose descriptor fits its engine, before it serves: the descriptor checked,
	 * with the model's classes, its threshold, examples and baselines, and a decision on
	 * a row of its form.
	 * @param pagePath the address of its page
	 * @param where the start of a refusal's reason ("in heart.yml, ")
	 * @param start when loading began ({@link System#nanoTime()})
	 * @throws InvalidTabularModelException with the reason; the engine is left open
	 */
	public static TabularModel serve(String name, String pagePath, Path file, String sha256,
			TabularDescriptor descriptor, TabularEngine engine, String where, long start) {
		check(descriptor, where);
		List<String> classes = engine.classes();
		Set<String> named = new HashSet<>();
		for (ClassText c : descriptor.classList()) {
			if (!classes.contains(c.value())) {
				refuseYamlBoolean(c.value(), where + "a class's value");
			}
			named.add(c.value());
		}
		if (!descriptor.classList().isEmpty() && !named.equals(new HashSet<>(classes))) {
			throw new InvalidTabularModelException(
					where + "classes names " + named + " but the model gives " + classes);
		}
		String positive = descriptor.positive() != null ? descriptor.positive()
				: classes.get(Math.min(1, classes.size() - 1));
		if (!classes.contains(positive)) {
			throw new InvalidTabularModelException(
					where + "positive is " + positive + ", which is not one of the model's classes " + classes);
		}
		Double threshold = null;
		if (classes.size() == 2) {
			TabularDescriptor.Costs costs = descriptor.costs();
			if (costs != null) {
				if (descriptor.threshold() != null) {
					throw new InvalidTabularModelException(where + "give the threshold or the costs, not both: the"
							+ " threshold follows from the costs");
				}
				if (costs.falsePositive() == null || costs.falseNegative() == null
						|| !(costs.falsePositive() > 0 && costs.falseNegative() > 0)
						|| !Double.isFinite(costs.falsePositive() + costs.falseNegative())) {
					throw new InvalidTabularModelException(where + "costs are two numbers above 0: false-positive"
							+ " (deciding " + positive + " wrongly) and false-negative (missing it)");
				}
			}
			threshold = costs != null ? costs.threshold()
					: descriptor.threshold() != null ? descriptor.threshold() : 0.5;
			if (!(threshold > 0 && threshold < 1)) {
				throw new InvalidTabularModelException(
						where + "threshold is a probability between 0 and 1, not " + threshold);
			}
		}
		TabularModel model = new TabularModel(name, pagePath, file, sha256, descriptor, engine, positive, threshold,
				(System.nanoTime() - start) / 1_000_000);
		model.checkExamplesAndBaselines(where);
		model.tryOnce(where);
		return model;
	}

	/** What every descriptor needs, whatever its model. */
	private static void check(TabularDescriptor d, String where) {
		if (d.title() == null || d.title().en() == null || d.title().en().isBlank()) {
			throw new InvalidTabularModelException(where + "title.en is required");
		}
		if (d.fieldList().isEmpty()) {
			throw new InvalidTabularModelException(where + "fields lists no question");
		}
		Set<String> names = new HashSet<>();
		for (Field field : d.fieldList()) {
			// starting with a letter or digit: a form's own fields (_csrf) start with '_'
			if (field.name() == null || !field.name().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
				throw new InvalidTabularModelException(where + "a field's name is letters, digits, '_', '.' and '-',"
						+ " starting with a letter or digit, not " + field.name());
			}
			String about = where + "field " + field.name() + ": ";
			if (!names.add(field.name())) {
				throw new InvalidTabularModelException(about + "the name appears twice");
			}
			if (field.kind() == null) {
				throw new InvalidTabularModelException(about + "kind is number, integer, choice or yes-no");
			}
			if (field.kind() == Kind.CHOICE) {
				if (field.optionList().isEmpty()) {
					throw new InvalidTabularModelException(about + "a choice lists its options");
				}
				Set<String> values = new HashSet<>();
				for (Option option : field.optionList()) {
					if (option.value() == null || !values.add(option.value())) {
						throw new InvalidTabularModelException(about + "each option has a value of its own");
					}
					refuseYamlBoolean(option.value(), about + "an option's value");
				}
			}
			if ((field.min() != null && !Double.isFinite(field.min()))
					|| (field.max() != null && !Double.isFinite(field.max()))) {
				throw new InvalidTabularModelException(about + "min and max are numbers");
			}
			if (field.min() != null && field.max() != null && field.min() > field.max()) {
				throw new InvalidTabularModelException(about + "min " + field.min() + " is above max " + field.max());
			}
		}
		Set<String> grouped = new HashSet<>();
		for (TabularDescriptor.Section section : d.sectionList()) {
			for (String field : section.fieldList()) {
				if (!names.contains(field)) {
					throw new InvalidTabularModelException(
							where + "a section lists " + field + ", which is not one of the fields");
				}
				if (!grouped.add(field)) {
					throw new InvalidTabularModelException(where + "the field " + field + " is in two sections");
				}
			}
		}
	}

	/**
	 * YAML reads an unquoted yes, no, on or off as a boolean, which Spring's binder gives
	 * as true or false: a text column never meant that.
	 */
	private static void refuseYamlBoolean(String value, String what) {
		if ("true".equals(value) || "false".equals(value)) {
			throw new InvalidTabularModelException(what + " is " + value + ": YAML reads an unquoted yes, no, on or off"
					+ " as true or false; write the text in quotes (\"no\")");
		}
	}

	private void checkExamplesAndBaselines(String where) {
		for (Field field : descriptor.fieldList()) {
			if (field.baseline() != null && field.kind() == Kind.CHOICE) {
				refuseYamlBoolean(field.baseline(), where + "field " + field.name() + ": its baseline");
			}
			if (field.baseline() != null) {
				Object[] baseline = new Object[1];
				FieldError error = parse(field, field.baseline(), baseline);
				baselines.put(field.name(), baseline[0]);
				if (error != null) {
					throw new InvalidTabularModelException(where + "field " + field.name() + ": its baseline "
							+ field.baseline() + " is not an answer it takes (" + error.code() + ")");
				}
			}
		}
		List<Map<String, String>> examples = descriptor.examples() == null ? List.of() : descriptor.examples();
		for (int i = 0; i < examples.size(); i++) {
			Answers answers = read(examples.get(i));
			if (!answers.valid()) {
				FieldError first = answers.errors().get(0);
				throw new InvalidTabularModelException(where + "example " + (i + 1) + ": field " + first.field()
						+ " is refused (" + first.code() + " " + first.arguments() + ")");
			}
		}
	}

	/**
	 * A decision on the first example (or on a row of each field's first accepted value)
	 * and its explanation, before the model serves: a model that loads but cannot run a
	 * row (an input of another shape than it declares, ZipMap classes that are not its
	 * classes) is refused here, not on a visitor's first request.
	 */
	private void tryOnce(String where) {
		try {
			Map<String, String> row = new LinkedHashMap<>();
			List<Map<String, String>> examples = descriptor.examples() == null ? List.of() : descriptor.examples();
			if (!examples.isEmpty()) {
				row.putAll(examples.get(0));
			}
			else {
				for (Field field : descriptor.fieldList()) {
					double low = field.min() != null ? Math.ceil(field.min())
							: field.max() != null ? Math.min(0, Math.floor(field.max())) : 0;
					row.put(field.name(), switch (field.kind()) {
						case CHOICE -> field.optionList().get(0).value();
						case YES_NO -> "no";
						case NUMBER, INTEGER -> java.math.BigDecimal.valueOf(low).stripTrailingZeros().toPlainString();
					});
				}
			}
			decide(read(row));
		}
		catch (RuntimeException ex) {
			throw new InvalidTabularModelException(
					where + "the model cannot decide on a row of its form: " + ex.getMessage(), ex);
		}
	}

	/** Each field's answer checked and converted; every refusal listed, in form order. */
	public Answers read(Map<String, String> sent) {
		Map<String, Object> values = new LinkedHashMap<>();
		Map<String, String> kept = new LinkedHashMap<>();
		List<FieldError> errors = new ArrayList<>();
		for (Field field : descriptor.fieldList()) {
			String text = sent.get(field.name());
			Object[] value = new Object[1];
			FieldError error = parse(field, text, value);
			if (error != null) {
				errors.add(error);
				// what was typed, for the person to correct
				kept.put(field.name(), text == null ? "" : text.strip());
			}
			else {
				values.put(field.name(), value[0]);
				kept.put(field.name(), normalised(field, text.strip(), value[0]));
			}
		}
		return new Answers(values, kept, List.copyOf(errors));
	}

	private FieldError parse(Field field, String text, Object[] value) {
		if (text == null || text.isBlank()) {
			return new FieldError(field.name(), "required", List.of());
		}
		String answer = text.strip();
		switch (field.kind()) {
			case NUMBER, INTEGER -> {
				Double number = parseNumber(answer);
				if (number == null) {
					return new FieldError(field.name(), "number", List.of());
				}
				if (field.kind() == Kind.INTEGER && number != Math.rint(number)) {
					return new FieldError(field.name(), "integer", List.of());
				}
				// the descriptor's bounds, within what the input's type holds
				double limit = engine.largestNumber(field.name());
				double min = Math.max(field.min() == null ? -limit : field.min(), -limit);
				double max = Math.min(field.max() == null ? limit : field.max(), limit);
				if (number < min || number > max) {
					if (field.min() == null && field.max() == null) {
						return new FieldError(field.name(), "range", List.of(min, max));
					}
					return new FieldError(field.name(), "range",
							List.of(field.min() == null && min == -limit ? Double.NEGATIVE_INFINITY : min,
									field.max() == null && max == limit ? Double.POSITIVE_INFINITY : max));
				}
				value[0] = number;
			}
			case CHOICE -> {
				if (field.optionList().stream().noneMatch(option -> option.value().equals(answer))) {
					return new FieldError(field.name(), "choice", List.of());
				}
				value[0] = answer;
			}
			case YES_NO -> {
				if (!List.of("true", "yes", "oui", "1", "false", "no", "non", "0")
					.contains(answer.toLowerCase(Locale.ROOT))) {
					return new FieldError(field.name(), "yes-no", List.of());
				}
				value[0] = yesNo(answer);
			}
		}
		return null;
	}

	/**
	 * An answer as it is logged and shown again: a number written plainly (12, 0.5), yes
	 * or no, an option's value, whatever way it was sent (1,5 or 1.50; oui, true or 1).
	 */
	private static String normalised(Field field, String text, Object value) {
		return switch (field.kind()) {
			case NUMBER, INTEGER -> java.math.BigDecimal.valueOf((Double) value).stripTrailingZeros().toPlainString();
			case YES_NO -> (Boolean) value ? "yes" : "no";
			case CHOICE -> text;
		};
	}

	/**
	 * A decimal number: 1.5, -3, 2e3, or 1,5 as French readers write it; no grouping
	 * (1,000 could be a thousand or one), no hexadecimal, nothing infinite.
	 */
	private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern
		.compile("[+-]?(\\d+([.,]\\d*)?|[.,]\\d+)([eE][+-]?\\d{1,3})?");

	/** 1,000: a thousand to an English reader, one to a French one; refused. */
	private static final java.util.regex.Pattern GROUPED = java.util.regex.Pattern.compile("[+-]?\\d{1,3},\\d{3}");

	public static Double parseNumber(String text) {
		String t = text.strip();
		if (!DECIMAL.matcher(t).matches() || GROUPED.matcher(t).matches()) {
			return null;
		}
		double d = Double.parseDouble(t.replace(',', '.'));
		return Double.isFinite(d) ? d : null;
	}

	private static boolean yesNo(String text) {
		return List.of("true", "yes", "oui", "1").contains(text.strip().toLowerCase(Locale.ROOT));
	}

	/** Whether the descriptor names a field so (a program may send keys it does not). */
	public boolean hasField(String fieldName) {
		return fieldsByName.containsKey(fieldName);
	}

	/**
	 * The decision on valid answers, with each explained field's contribution: the row
	 * and its variants (one per field with a baseline) go through the model in one call.
	 */
	public Decision decide(Answers answers) {
		if (!answers.valid()) {
			throw new IllegalArgumentException("answers refused: " + answers.errors());
		}
		if (threshold != null) {
			Optional<TabularEngine.LinearAnswer> exact = engine.linearAnswer(answers.values());
			if (exact.isPresent()) {
				return linearDecision(exact.get());
			}
		}
		List<Field> explained = descriptor.fieldList().stream().filter(field -> field.baseline() != null).toList();
		List<Map<String, Object>> rows = new ArrayList<>();
		rows.add(answers.values());
		for (Field field : explained) {
			Map<String, Object> values = new LinkedHashMap<>(answers.values());
			values.put(field.name(), baselines.get(field.name()));
			rows.add(values);
		}
		List<Map<String, Double>> predictions = engine.probabilities(rows);
		Map<String, Double> probabilities = predictions.get(0);
		String label;
		String about;
		if (threshold != null) {
			String negative = classes.get(0).equals(positive) ? classes.get(1) : classes.get(0);
			label = probabilities.get(positive) >= threshold ? positive : negative;
			about = positive;
		}
		else {
			label = probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
			about = label;
		}
		// a linear model's log-odds move by the answer's own term whatever the others:
		// the change in them is exact, where a change of probability depends on the rest
		boolean logOdds = threshold != null && engine.linearInLogOdds();
		String other = classes.get(0).equals(about) ? classes.get(1) : classes.get(0);
		List<Contribution> contributions = new ArrayList<>();
		for (int i = 0; i < explained.size(); i++) {
			Map<String, Double> variant = predictions.get(i + 1);
			double change = logOdds ? logOdds(probabilities, about, other) - logOdds(variant, about, other)
					: probabilities.get(about) - variant.get(about);
			contributions.add(new Contribution(explained.get(i).name(), change));
		}
		contributions.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.change())));
		return new Decision(label, probabilities, threshold, about, logOdds ? LOG_ODDS : PROBABILITY,
				List.copyOf(contributions));
	}

	/**
	 * The log-odds of one class against the other, from both probabilities as the model
	 * gives them: a small one keeps its precision in float, where 1 - p would not (a
	 * probability of exactly 0 held at the smallest float).
	 */
	private static double logOdds(Map<String, Double> probabilities, String about, String other) {
		return Math.log(Math.max(probabilities.get(about), Float.MIN_VALUE))
				- Math.log(Math.max(probabilities.get(other), Float.MIN_VALUE));
	}

	/**
	 * A linear model's decision, explained by its exact shares of the positive class's
	 * log-odds: no variant rows to run.
	 */
	private Decision linearDecision(TabularEngine.LinearAnswer exact) {
		Map<String, Double> probabilities = exact.probabilities();
		String negative = classes.get(0).equals(positive) ? classes.get(1) : classes.get(0);
		String label = probabilities.get(positive) >= threshold ? positive : negative;
		// the log-odds of one class are those of the other, negated
		double sign = exact.towards().equals(positive) ? 1 : -1;
		List<Contribution> contributions = new ArrayList<>();
		exact.shares().forEach((field, share) -> contributions.add(new Contribution(field, sign * share)));
		contributions.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.change())));
		return new Decision(label, probabilities, threshold, positive, LOG_ODDS, List.copyOf(contributions));
	}

	public String name() {
		return name;
	}

	public Path file() {
		return file;
	}

	public String sha256() {
		return sha256;
	}

	public TabularDescriptor descriptor() {
		return descriptor;
	}

	public TabularEngine engine() {
		return engine;
	}

	/** The model's classes, in its order. */
	public List<String> classes() {
		return classes;
	}

	public String positive() {
		return positive;
	}

	public Double threshold() {
		return threshold;
	}

	public long loadMillis() {
		return loadMillis;
	}

	/** A class's name for a person; the class itself when the descriptor gives none. */
	public String className(String value, Locale locale) {
		return descriptor.classList()
			.stream()
			.filter(c -> c.value().equals(value))
			.findFirst()
			.map(c -> c.name(locale))
			.orElse(value);
	}

	public Field field(String fieldName) {
		Field field = fieldsByName.get(fieldName);
		if (field == null) {
			throw new java.util.NoSuchElementException(fieldName);
		}
		return field;
	}

	/** Its page's address: {@code /tabular/heart}, {@code /credit}. */
	public String pagePath() {
		return pagePath;
	}

	@Override
	public void close() {
		engine.close();
	}

	private static String sha256(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[1 << 16];
			for (int n; (n = in.read(buffer)) > 0;) {
				digest.update(buffer, 0, n);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
