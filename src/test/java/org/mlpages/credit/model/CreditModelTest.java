package org.mlpages.credit.model;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.VariableInfo;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.transform.TransformedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The committed model: schema from its feature map, exact explanations, threshold, files,
 * provenance.
 */
class CreditModelTest {

	private static CreditModel model;

	private static MutableDataset<Label> data;

	/** Each CSV row as the answers a form would send. */
	private static List<Map<String, Object>> rows;

	@BeforeAll
	static void load() throws IOException {
		model = CreditFixtures.model();
		data = CreditData.load(CreditFixtures.CSV);
		rows = new ArrayList<>();
		for (Example<Label> example : data) {
			Map<String, Object> answers = new LinkedHashMap<>();
			for (Feature feature : example) {
				String[] parts = feature.getName().split("@", 2);
				answers.put(parts[0], parts[1].equals("value") ? Long.toString((long) feature.getValue()) : parts[1]);
			}
			rows.add(answers);
		}
	}

	@Test
	void schemaIsTheModelsFeatureMapWithoutThePhantomArffCategories() {
		CreditSchema schema = model.schema();
		assertThat(schema.fieldNames()).containsExactly("checking_status", "duration", "credit_history", "purpose",
				"credit_amount", "savings_status", "employment", "installment_commitment", "personal_status",
				"other_parties", "residence_since", "property_magnitude", "age", "other_payment_plans", "housing",
				"existing_credits", "job", "num_dependents", "own_telephone", "foreign_worker");
		assertThat(schema.field("purpose").orElseThrow().categories()).hasSize(10).doesNotContain("vacation");
		assertThat(schema.field("personal_status").orElseThrow().categories()).containsExactly("male div/sep",
				"female div/dep/mar", "male single", "male mar/wid");
		assertThat(schema.field("checking_status").orElseThrow().categories()).containsExactly("<0", "0<=X<200",
				">=200", "no checking");

		Set<String> schemaFeatures = new HashSet<>();
		for (CreditField field : schema.fields()) {
			if (field.kind() == CreditField.Kind.NUMERIC) {
				schemaFeatures.add(field.featureName(null));
				assertThat(field.integer()).isTrue();
			}
			else {
				field.categories().forEach(c -> schemaFeatures.add(field.featureName(c)));
			}
		}
		Set<String> modelFeatures = new HashSet<>();
		for (VariableInfo info : model.tribuoModel().getFeatureIDMap()) {
			modelFeatures.add(info.getName());
		}
		assertThat(schemaFeatures).hasSize(61).isEqualTo(modelFeatures);

		CreditField age = schema.field("age").orElseThrow();
		// the training range 19-75 with its margin (17-77), widened to round numbers
		assertThat(age.min()).isEqualTo(15);
		assertThat(age.max()).isEqualTo(80);
		assertThat(age.unit()).isEqualTo("years");
		assertThat(schema.field("installment_commitment").orElseThrow()).extracting(CreditField::min, CreditField::max)
			.containsExactly(1.0, 4.0);
		// 250-18 424 DM in the data, 125-19 332 with the margin
		assertThat(schema.field("credit_amount").orElseThrow()).extracting(CreditField::min, CreditField::max)
			.containsExactly(100.0, 20000.0);
		assertThat(schema.field("duration").orElseThrow()).extracting(CreditField::min, CreditField::max)
			.containsExactly(2.0, 75.0);
	}

	@Test
	void everyTrainingRowPassesValidation() {
		for (Map<String, Object> row : rows) {
			assertThat(model.schema().validate(row, true)).isEmpty();
		}
	}

	@Test
	void probabilitiesMatchTribuoOnTheTrainingEncodingAndContributionsSumToTheLogOdds() {
		for (int i = 0; i < rows.size(); i++) {
			CreditDecision decision = model.decide(rows.get(i));
			// the form path builds its own Example; it must equal what the CSV loader
			// built for training
			double tribuo = CreditTraining.probabilityGood(model.tribuoModel(), data.getExample(i));
			assertThat(decision.probabilityGood()).isCloseTo(tribuo, within(1e-12));
			assertThat(decision.logOdds()).isCloseTo(Math.log(tribuo / (1 - tribuo)), within(1e-9));
			double sum = decision.baseValue();
			for (Contribution c : decision.contributions()) {
				sum += c.value();
			}
			assertThat(sum).as("row %d", i).isCloseTo(decision.logOdds(), within(1e-9));
			assertThat(decision.contributions()).hasSize(20);
		}
	}

	/**
	 * The model is evaluated from its weights, not through Tribuo's predict: both must
	 * agree anywhere the schema lets an answer through, the bounds included, and whether
	 * numbers come as text (a form) or as numbers (JSON).
	 */
	@Test
	void probabilitiesMatchTribuosPredictAcrossTheSchemaAndAtItsBounds() {
		Random random = new Random(16);
		List<CreditField> fields = model.schema().fields();
		for (int i = 0; i < 2000; i++) {
			Map<String, Object> answers = new LinkedHashMap<>();
			String[] names = new String[fields.size()];
			double[] values = new double[fields.size()];
			for (int f = 0; f < fields.size(); f++) {
				CreditField field = fields.get(f);
				if (field.kind() == CreditField.Kind.NUMERIC) {
					long value = switch (i % 3) {
						case 0 -> (long) field.min();
						case 1 -> (long) field.max();
						default -> (long) field.min() + random.nextLong((long) (field.max() - field.min()) + 1);
					};
					answers.put(field.name(), i % 2 == 0 ? Long.toString(value) : (Object) value);
					names[f] = field.featureName(null);
					values[f] = value;
				}
				else {
					String category = field.categories().get(random.nextInt(field.categories().size()));
					answers.put(field.name(), category);
					names[f] = field.featureName(category);
					values[f] = 1.0;
				}
			}
			double tribuo = CreditTraining.probabilityGood(model.tribuoModel(),
					new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, values));
			CreditDecision decision = model.decide(answers);
			assertThat(decision.probabilityGood()).as("%s", answers).isCloseTo(tribuo, within(1e-12));
			assertThat(decision.granted()).isEqualTo(tribuo >= model.threshold());
			assertThat(model.probabilityGood(answers)).isEqualTo(decision.probabilityGood());
		}
	}

	@Test
	void contributionsAreSortedNamedAndSignedTowardsGranting() {
		CreditDecision decision = model.decide(CreditFixtures.applicant());
		List<Contribution> contributions = decision.contributions();
		for (int i = 1; i < contributions.size(); i++) {
			assertThat(Math.abs(contributions.get(i - 1).value()))
				.isGreaterThanOrEqualTo(Math.abs(contributions.get(i).value()));
		}
		assertThat(contributions).extracting(Contribution::feature)
			.contains("purpose@radio/tv", "age@value", "checking_status@<0");
		// having no checking account is the strongest sign of a good payer in this data;
		// "<0" the worst
		Map<String, Object> noChecking = CreditFixtures.applicant();
		noChecking.put("checking_status", "no checking");
		assertThat(contribution(model.decide(noChecking), "checking_status")).isPositive();
		assertThat(contribution(decision, "checking_status")).isNegative();
		// a longer credit for the same applicant lowers P(good), through the duration
		// contribution
		Map<String, Object> longer = CreditFixtures.applicant();
		longer.put("duration", "60");
		assertThat(contribution(model.decide(longer), "duration")).isLessThan(contribution(decision, "duration"));
		assertThat(model.decide(longer).probabilityGood()).isLessThan(decision.probabilityGood());
	}

	private static double contribution(CreditDecision decision, String field) {
		return decision.contributions().stream().filter(c -> c.field().equals(field)).findFirst().orElseThrow().value();
	}

	@Test
	void decisionRespectsTheThreshold() {
		assertThat(model.threshold()).isEqualTo(0.88);
		int granted = 0;
		int refused = 0;
		for (Map<String, Object> row : rows) {
			CreditDecision decision = model.decide(row);
			assertThat(decision.threshold()).isEqualTo(model.threshold());
			assertThat(decision.granted()).isEqualTo(decision.probabilityGood() >= model.threshold());
			if (decision.granted()) {
				granted++;
			}
			else {
				refused++;
			}
		}
		assertThat(granted).isPositive();
		assertThat(refused).isPositive();
	}

	@Test
	void probabilityGoodAloneAgreesWithDecide() {
		Map<String, Object> applicant = CreditFixtures.applicant();
		assertThat(model.probabilityGood(applicant)).isEqualTo(model.decide(applicant).probabilityGood());
	}

	@Test
	void modelFileRoundTripsAndItsWeightsAreTheLinearModelsWeights(@TempDir Path dir) throws IOException {
		Path copy = dir.resolve("copy.model");
		model.tribuoModel().serializeToFile(copy);
		Model<?> reloaded = Model.deserializeFromFile(copy);
		for (int i = 0; i < 50; i++) {
			@SuppressWarnings("unchecked")
			double p = CreditTraining.probabilityGood((Model<Label>) reloaded, data.getExample(i));
			assertThat(p).isEqualTo(CreditTraining.probabilityGood(model.tribuoModel(), data.getExample(i)));
		}
		assertThat(((LinearSGDModel) ((TransformedModel<?>) reloaded).getInnerModel()).getWeightsCopy())
			.isEqualTo(((LinearSGDModel) ((TransformedModel<?>) model.tribuoModel()).getInnerModel()).getWeightsCopy());
	}

	@Test
	void sha256IsTheModelFilesAndASwappedModelIsRefused(@TempDir Path dir) throws IOException {
		assertThat(model.sha256()).isEqualTo(CreditModel.sha256Hex(Files.readAllBytes(CreditFixtures.MODEL)))
			.hasSize(64);
		Path other = dir.resolve("other.model");
		model.tribuoModel().serializeToFile(other); // same weights, different bytes? at
													// least a different file
		byte[] bytes = Files.readAllBytes(CreditFixtures.MODEL);
		bytes[bytes.length - 1] ^= 1;
		Files.write(other, bytes);
		assertThatThrownBy(() -> CreditModel.load(other, CreditFixtures.SIDE))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("SHA-256");
	}

	@Test
	void aSideFileWhoseCategoriesDifferFromTheModelIsRefused(@TempDir Path dir) throws IOException {
		Path side = dir.resolve("credit.report.json");
		Files.writeString(side,
				Files.readString(CreditFixtures.SIDE).replace("\"radio/tv\", ", "\"radio/tv\", \"vacation\", "));
		assertThatThrownBy(() -> CreditModel.load(CreditFixtures.MODEL, side))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("categories of purpose");
	}

	@Test
	void provenanceSummaryHasTheSelectedFacts() throws IOException {
		ModelProvenanceSummary p = model.provenance();
		assertThat(p.modelClass()).isEqualTo("org.tribuo.transform.TransformedModel");
		assertThat(p.trainerClass()).isEqualTo("org.tribuo.classification.sgd.linear.LinearSGDTrainer");
		assertThat(p.trainerSettings()).containsEntry("epochs", "20")
			.containsEntry("seed", "42")
			.containsEntry("optimiser", "AdaGrad")
			.containsEntry("objective", "LogMulticlass");
		assertThat(p.seed()).isEqualTo(42);
		// the demo's three sample applicants are left out of the 1000
		assertThat(p.trainingRows()).isEqualTo(997);
		assertThat(p.heldOutRows()).containsExactly(23, 96, 210);
		assertThat(p.heldOutReason()).isEqualTo("the demo's sample applicants");
		assertThat(p.dataFile()).isEqualTo("credit-g.csv");
		assertThat(p.dataSha256()).isEqualTo(CreditModel.sha256Hex(Files.readAllBytes(CreditFixtures.CSV)));
		assertThat(p.trainedAt()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
		assertThat(p.tribuoVersion()).isEqualTo("4.3.2");
		assertThat(p.cvFolds()).isEqualTo(10);
		assertThat(p.cvAccuracy()).isBetween(0.7, 0.8);
		assertThat(p.cvAuc()).isBetween(0.75, 0.85);
		assertThat(p.cvCostPerApplicant()).isBetween(0.4, 0.7);
		assertThat(p.description()).contains("logistic regression");
	}

}
