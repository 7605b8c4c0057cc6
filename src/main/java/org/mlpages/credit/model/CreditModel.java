package org.mlpages.credit.model;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.CategoricalInfo;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.Transformer;
import org.tribuo.transform.TransformerMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained credit model ready to decide: the Tribuo model file, its side file
 * (threshold, schema, cross-validated metrics, written by {@link CreditTraining}), and
 * exact explanations.
 *
 * <p>
 * Only a logistic regression on z-scored numbers ({@code TransformedModel} around a
 * {@code LinearSGDModel}) is accepted, because only for a linear model are the per-field
 * contributions exact. Immutable and thread-safe after {@link #load}: one instance serves
 * all requests.
 */
public final class CreditModel {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Side-file format this class reads and {@link CreditTraining} writes. */
	static final String FORMAT = "mlpages-credit/1";

	/**
	 * Thrown by {@link #decide} for answers that do not pass
	 * {@link CreditSchema#validate}.
	 */
	public static final class InvalidAnswersException extends IllegalArgumentException {

		private final transient List<FieldError> errors;

		InvalidAnswersException(List<FieldError> errors) {
			super("invalid answers: " + errors);
			this.errors = List.copyOf(errors);
		}

		/** What is wrong, per field. */
		public List<FieldError> errors() {
			return errors;
		}

	}

	/** Everything needed to explain one field's answer, computed once at load. */
	private record FieldTerm(CreditField field, String numericFeature, double weight, List<Transformer> transformers,
			double transformedMean, Map<String, Double> categoryWeights, double categoryMeanTerm) {
	}

	private final Model<Label> model;

	private final CreditSchema schema;

	private final double threshold;

	private final List<FieldTerm> terms;

	private final double baseValue;

	/**
	 * The log-odds of good with every feature at zero: the bias of "good" minus that of
	 * "bad".
	 */
	private final double intercept;

	private final ModelProvenanceSummary provenance;

	private final String sha256;

	private CreditModel(Model<Label> model, CreditSchema schema, double threshold, List<FieldTerm> terms,
			double baseValue, double intercept, ModelProvenanceSummary provenance, String sha256) {
		this.model = model;
		this.schema = schema;
		this.threshold = threshold;
		this.terms = terms;
		this.baseValue = baseValue;
		this.intercept = intercept;
		this.provenance = provenance;
		this.sha256 = sha256;
	}

	/**
	 * Loads a model and its side file and checks that they belong together: the side file
	 * records the model file's SHA-256, and every category it lists must be one the model
	 * has a weight for, and vice versa (the schema is the model's feature map; the side
	 * file only adds form order, numeric bounds and units).
	 * @param modelFile Tribuo protobuf model, e.g. {@code models/credit.model}
	 * @param sideFile its side file, e.g. {@code models/credit.report.json}
	 * @return the ready model
	 * @throws IOException if a file cannot be read
	 * @throws IllegalArgumentException if the files are not a matching credit model and
	 * side file, or the model is not the supported linear kind
	 */
	public static CreditModel load(Path modelFile, Path sideFile) throws IOException {
		byte[] bytes = Files.readAllBytes(modelFile);
		String sha256 = sha256Hex(bytes);
		JsonNode side = JSON.readTree(Files.readString(sideFile));
		if (!FORMAT.equals(side.path("format").asString(""))) {
			throw new IllegalArgumentException(sideFile + ": not a " + FORMAT + " side file");
		}
		String expectedSha = side.path("model").path("sha256").asString("");
		if (!expectedSha.equals(sha256)) {
			throw new IllegalArgumentException(sideFile + " describes a model with SHA-256 " + expectedSha + ", but "
					+ modelFile + " has " + sha256 + ": retrain or restore the matching pair");
		}
		Model<?> raw = Model.deserializeFromFile(modelFile);
		if (!raw.validate(Label.class)) {
			throw new IllegalArgumentException(modelFile + " is not a classification model");
		}
		@SuppressWarnings("unchecked")
		Model<Label> model = (Model<Label>) raw;
		if (!(model instanceof TransformedModel<Label> transformed)
				|| !(transformed.getInnerModel() instanceof LinearSGDModel linear)) {
			throw new IllegalArgumentException(modelFile + " is a " + model.getClass().getName()
					+ ", not a logistic regression on transformed features; only that kind is explained exactly");
		}
		if (model.getOutputIDInfo().getID(new Label(CreditData.GOOD)) < 0
				|| model.getOutputIDInfo().getID(new Label(CreditData.BAD)) < 0) {
			throw new IllegalArgumentException(modelFile + " does not predict good/bad");
		}
		CreditSchema schema = schemaFromSideFile(side.path("schema"), model.getFeatureIDMap(), sideFile);
		double threshold = side.path("threshold").asDouble(Double.NaN);
		if (!(threshold > 0 && threshold < 1)) {
			throw new IllegalArgumentException(sideFile + ": threshold must be in (0, 1)");
		}

		// weights of "good" minus weights of "bad": softmax over two classes is the
		// logistic of that difference
		DenseMatrix weights = linear.getWeightsCopy();
		int good = linear.getOutputIDInfo().getID(new Label(CreditData.GOOD));
		int bad = linear.getOutputIDInfo().getID(new Label(CreditData.BAD));
		ImmutableFeatureMap innerFeatures = linear.getFeatureIDMap();
		int biasColumn = weights.getDimension2Size() - 1;
		TransformerMap transformers = transformed.getTransformerMap();
		ImmutableFeatureMap modelFeatures = model.getFeatureIDMap();

		double intercept = weights.get(good, biasColumn) - weights.get(bad, biasColumn);
		double base = intercept;
		List<FieldTerm> terms = new ArrayList<>();
		for (CreditField field : schema.fields()) {
			if (field.kind() == CreditField.Kind.NUMERIC) {
				String name = field.featureName(null);
				int id = innerFeatures.getID(name);
				double w = id < 0 ? 0.0 : weights.get(good, id) - weights.get(bad, id);
				List<Transformer> list = transformers.get(name) == null ? List.of() : transformers.get(name);
				// the TransformedModel's feature map describes the transformed (z-scored)
				// values, so its mean is
				// already the training mean of what the weight multiplies (about 0, but
				// taken as computed)
				double mean = realInfo(modelFeatures.get(name)).getMean();
				base += w * mean;
				terms.add(new FieldTerm(field, name, w, list, mean, Map.of(), 0.0));
			}
			else {
				Map<String, Double> categoryWeights = new HashMap<>();
				long total = 0;
				for (String category : field.categories()) {
					total += modelFeatures.get(field.featureName(category)).getCount();
				}
				double meanTerm = 0;
				for (String category : field.categories()) {
					String name = field.featureName(category);
					int id = innerFeatures.getID(name);
					double w = id < 0 ? 0.0 : weights.get(good, id) - weights.get(bad, id);
					categoryWeights.put(category, w);
					meanTerm += w * modelFeatures.get(name).getCount() / total;
				}
				base += meanTerm;
				terms.add(new FieldTerm(field, null, 0.0, List.of(), 0.0, Map.copyOf(categoryWeights), meanTerm));
			}
		}
		ModelProvenanceSummary provenance = summarise(model, side);
		return new CreditModel(model, schema, threshold, List.copyOf(terms), base, intercept, provenance, sha256);
	}

	/** The questions, their accepted values and bounds. */
	public CreditSchema schema() {
		return schema;
	}

	/** The decision threshold on P(good): credit is granted iff P(good) >= threshold. */
	public double threshold() {
		return threshold;
	}

	/**
	 * Selected provenance: trainer and settings, seed, data hash, training date,
	 * cross-validated figures.
	 */
	public ModelProvenanceSummary provenance() {
		return provenance;
	}

	/** SHA-256 of the model file as loaded, lowercase hex (for the prediction log). */
	public String sha256() {
		return sha256;
	}

	/**
	 * Decides on one applicant.
	 *
	 * <p>
	 * The answers are validated again here (unknown keys ignored, as for a form), so
	 * nothing unchecked reaches the model even if a caller forgot; callers should still
	 * validate first to show per-field messages.
	 * @param answers field name → value, as a form (strings) or JSON (strings and
	 * numbers) sends them
	 * @return the decision with P(good), the threshold and the contributions
	 * @throws InvalidAnswersException if the answers do not pass
	 * {@link CreditSchema#validate}
	 */
	public CreditDecision decide(Map<String, ?> answers) {
		List<FieldError> errors = schema.validate(answers, false);
		if (!errors.isEmpty()) {
			throw new InvalidAnswersException(errors);
		}
		double logOdds = intercept;
		List<Contribution> contributions = new ArrayList<>(terms.size());
		for (FieldTerm term : terms) {
			Object answer = answers.get(term.field().name());
			if (term.numericFeature() != null) {
				double transformed = TransformerMap.applyTransformerList(CreditSchema.numberOf(answer),
						term.transformers());
				logOdds += term.weight() * transformed;
				contributions.add(new Contribution(term.field().name(), term.numericFeature(),
						term.weight() * (transformed - term.transformedMean())));
			}
			else {
				String category = (String) answer;
				double weight = term.categoryWeights().get(category);
				logOdds += weight;
				contributions.add(new Contribution(term.field().name(), term.field().featureName(category),
						weight - term.categoryMeanTerm()));
			}
		}
		double pGood = logistic(logOdds);
		contributions.sort((a, b) -> Double.compare(Math.abs(b.value()), Math.abs(a.value())));
		return new CreditDecision(pGood >= threshold, pGood, threshold, logOdds, baseValue, contributions);
	}

	/**
	 * P(good) only, without the explanation (for throughput measurements and batch
	 * scoring). Same validation and the same sum as {@link #decide}.
	 */
	public double probabilityGood(Map<String, ?> answers) {
		List<FieldError> errors = schema.validate(answers, false);
		if (!errors.isEmpty()) {
			throw new InvalidAnswersException(errors);
		}
		double logOdds = intercept;
		for (FieldTerm term : terms) {
			Object answer = answers.get(term.field().name());
			if (term.numericFeature() != null) {
				logOdds += term.weight()
						* TransformerMap.applyTransformerList(CreditSchema.numberOf(answer), term.transformers());
			}
			else {
				logOdds += term.categoryWeights().get((String) answer);
			}
		}
		return logistic(logOdds);
	}

	/**
	 * The model's own function, evaluated from the weights taken out of it at load:
	 * Tribuo's softmax over two classes is the logistic of the difference of their
	 * scores. Tribuo's {@code predict} would build and sort a sparse example, z-score it
	 * into a copy and fill a map of labels for every request; the answers are the same to
	 * rounding (CreditModelTest compares both on every training row and at the bounds).
	 */
	private static double logistic(double logOdds) {
		return 1 / (1 + Math.exp(-logOdds));
	}

	/**
	 * The model as ONNX, the same function in the shape skl2onnx gives a scikit-learn
	 * pipeline ({@link CreditOnnxExport}).
	 */
	public byte[] toOnnx() {
		List<CreditOnnxExport.Term> exported = new ArrayList<>();
		for (FieldTerm term : terms) {
			if (term.numericFeature() != null) {
				// the transformers (a z-score) as the affine map they are: a x + b
				double b = TransformerMap.applyTransformerList(0.0, term.transformers());
				double a = TransformerMap.applyTransformerList(1.0, term.transformers()) - b;
				double check = TransformerMap.applyTransformerList(1000.0, term.transformers());
				if (Math.abs(check - (a * 1000 + b)) > 1e-6 * Math.max(1, Math.abs(check))) {
					throw new IllegalStateException(term.field().name() + "'s transformation is not affine");
				}
				exported.add(CreditOnnxExport.Term.numeric(term.field().name(), term.weight(), a, b));
			}
			else {
				exported.add(CreditOnnxExport.Term.categorical(term.field().name(), term.field().categories(),
						term.categoryWeights()));
			}
		}
		return CreditOnnxExport.toOnnx(exported, intercept, sha256);
	}

	/** The Tribuo model, for tests and tools in this package. */
	Model<Label> tribuoModel() {
		return model;
	}

	// ---- loading helpers ----

	private static RealInfo realInfo(VariableInfo info) {
		if (info instanceof RealInfo real) {
			return real;
		}
		if (info instanceof CategoricalInfo categorical) {
			return categorical.generateRealInfo();
		}
		throw new IllegalArgumentException("not a numeric feature: " + info);
	}

	/**
	 * The schema as the side file orders and bounds it, checked against the model's
	 * feature map: same field names and kinds as the data set, each field's categories
	 * exactly the model's, and no feature left over.
	 */
	private static CreditSchema schemaFromSideFile(JsonNode array, ImmutableFeatureMap features, Path sideFile) {
		if (!array.isArray()) {
			throw new IllegalArgumentException(sideFile + ": no schema");
		}
		List<CreditField> fields = new ArrayList<>();
		Set<String> covered = new HashSet<>();
		for (JsonNode node : array) {
			String name = node.path("name").asString("");
			CreditField.Kind kind = CreditField.Kind.valueOf(node.path("kind").asString(""));
			CreditData.Column column = CreditData.column(name);
			if (column.kind() != kind) {
				throw new IllegalArgumentException(sideFile + ": " + name + " should be " + column.kind());
			}
			if (kind == CreditField.Kind.NUMERIC) {
				String feature = name + "@value";
				if (features.get(feature) == null) {
					throw new IllegalArgumentException(sideFile + ": the model has no feature " + feature);
				}
				covered.add(feature);
				fields.add(CreditField.numeric(name, node.path("min").asDouble(Double.NaN),
						node.path("max").asDouble(Double.NaN), node.path("integer").asBoolean(false),
						node.path("unit").asString("")));
			}
			else {
				List<String> categories = new ArrayList<>();
				node.path("categories").forEach(c -> categories.add(c.asString()));
				List<String> modelCategories = CreditTraining.categoriesOf(features, name, categories);
				if (!new HashSet<>(categories).equals(new HashSet<>(modelCategories))
						|| categories.size() != modelCategories.size()) {
					throw new IllegalArgumentException(sideFile + ": categories of " + name + " " + categories
							+ " differ from the model's " + modelCategories);
				}
				categories.forEach(c -> covered.add(name + "@" + c));
				fields.add(CreditField.categorical(name, categories));
			}
		}
		for (VariableInfo info : features) {
			if (!covered.contains(info.getName())) {
				throw new IllegalArgumentException(
						sideFile + ": the model's feature " + info.getName() + " is not in the schema");
			}
		}
		List<String> expected = CreditData.COLUMNS.stream().map(CreditData.Column::name).toList();
		if (!fields.stream().map(CreditField::name).toList().equals(expected)) {
			throw new IllegalArgumentException(sideFile + ": schema fields must be " + expected);
		}
		return new CreditSchema(fields);
	}

	/**
	 * Picks the facts worth showing out of the model's provenance and the side file's
	 * metrics.
	 */
	static ModelProvenanceSummary summarise(Model<Label> model, JsonNode side) {
		ModelProvenance provenance = model.getProvenance();
		ObjectProvenance trainer = provenance.getTrainerProvenance();
		// TransformTrainer wraps the learning algorithm: show the algorithm, keep the
		// wrapper's class as context
		ObjectProvenance inner = trainer;
		for (Pair<String, Provenance> pair : trainer) {
			if (pair.getA().equals("innerTrainer") && pair.getB() instanceof ObjectProvenance op) {
				inner = op;
			}
		}
		Map<String, String> settings = new LinkedHashMap<>();
		flatten("", inner, settings);
		// the CSV source sits a few levels down (TransformedModel records the transformed
		// dataset around it)
		String dataSha = findPrimitive(provenance.getDatasetProvenance(), "resource-hash");
		if (dataSha.startsWith("SHA-256[")) {
			dataSha = dataSha.substring("SHA-256[".length(), dataSha.length() - 1);
		}
		dataSha = dataSha.toLowerCase(java.util.Locale.ROOT);
		String path = findPrimitive(provenance.getDatasetProvenance(), "dataPath");
		String dataFile = path.substring(path.lastIndexOf('/') + 1); // the name only: no
																		// server paths on
																		// a page
		JsonNode chosen = side.path("chosen");
		// side files written before rows could be held out have no heldOut: nothing was
		JsonNode heldOut = side.path("data").path("heldOut");
		List<Integer> heldOutRows = new ArrayList<>();
		heldOut.path("rows").forEach(row -> heldOutRows.add(row.asInt()));
		return new ModelProvenanceSummary(model.getClass().getName(), inner.getClassName(), settings,
				chosen.path("description").asString(""), side.path("seed").asLong(),
				provenance.getDatasetProvenance().getNumExamples(), heldOutRows, heldOut.path("reason").asString(""),
				dataFile, dataSha, provenance.getTrainingTime().toString(), provenance.getTribuoVersion(),
				side.path("folds").asInt(), chosen.path("accuracyMean").asDouble(Double.NaN),
				chosen.path("aucMean").asDouble(Double.NaN), chosen.path("costPerApplicant").asDouble(Double.NaN));
	}

	/** The first primitive value under that key, depth first, or "" if none. */
	private static String findPrimitive(Iterable<Pair<String, Provenance>> provenance, String key) {
		for (Pair<String, Provenance> pair : provenance) {
			if (pair.getA().equals(key) && pair.getB() instanceof PrimitiveProvenance<?> primitive) {
				return String.valueOf(primitive.getValue());
			}
			if (pair.getB() instanceof ObjectProvenance nested) {
				String found = findPrimitive(nested, key);
				if (!found.isEmpty()) {
					return found;
				}
			}
		}
		return "";
	}

	/**
	 * Provenance keys that describe the run or the host, not the algorithm's settings.
	 */
	private static final Set<String> NOT_SETTINGS = Set.of("class-name", "host-short-name", "tribuo-version",
			"train-invocation-count", "is-sequence");

	private static void flatten(String prefix, ObjectProvenance provenance, Map<String, String> out) {
		for (Pair<String, Provenance> pair : provenance) {
			if (NOT_SETTINGS.contains(pair.getA())) {
				continue;
			}
			String key = prefix + pair.getA();
			if (pair.getB() instanceof ObjectProvenance nested) {
				out.put(key, simpleName(nested.getClassName()));
				flatten(key + ".", nested, out);
			}
			else if (pair.getB() instanceof PrimitiveProvenance<?> primitive) {
				out.put(key, String.valueOf(primitive.getValue()));
			}
			else {
				out.put(key, String.valueOf(pair.getB()));
			}
		}
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

	static String sha256Hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}

}
