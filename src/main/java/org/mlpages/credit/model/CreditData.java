package org.mlpages.credit.model;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.field.IdentityProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;
import org.tribuo.data.csv.CSVDataSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the training command knows about the German credit CSV: its columns, their kinds
 * and units, the label column, and a preferred display order for categories (the ARFF
 * header's order, which is ordinal where the categories are, e.g.
 * {@code <0, 0<=X<200, >=200, no checking}). Which categories exist is never taken from
 * here: it comes from the data (training) and the model's feature map (serving).
 */
final class CreditData {

	static final String LABEL_FIELD = "class";
	static final String GOOD = "good";
	static final String BAD = "bad";

	/** One CSV column as the model uses it. */
	record Column(String name, CreditField.Kind kind, String unit, List<String> preferredOrder) {
	}

	private static Column num(String name, String unit) {
		return new Column(name, CreditField.Kind.NUMERIC, unit, List.of());
	}

	private static Column cat(String name, String... preferredOrder) {
		return new Column(name, CreditField.Kind.CATEGORICAL, "", List.of(preferredOrder));
	}

	/** The 20 attributes in the data set's order, which is also the form's order. */
	static final List<Column> COLUMNS = List.of(cat("checking_status", "<0", "0<=X<200", ">=200", "no checking"),
			num("duration", "months"),
			cat("credit_history", "no credits/all paid", "all paid", "existing paid", "delayed previously",
					"critical/other existing credit"),
			cat("purpose", "new car", "used car", "furniture/equipment", "radio/tv", "domestic appliance", "repairs",
					"education", "vacation", "retraining", "business", "other"),
			num("credit_amount", "DM"),
			cat("savings_status", "<100", "100<=X<500", "500<=X<1000", ">=1000", "no known savings"),
			cat("employment", "unemployed", "<1", "1<=X<4", "4<=X<7", ">=7"),
			num("installment_commitment", "% of disposable income, coded 1-4"),
			cat("personal_status", "male div/sep", "female div/dep/mar", "male single", "male mar/wid",
					"female single"),
			cat("other_parties", "none", "co applicant", "guarantor"), num("residence_since", "years, coded 1-4"),
			cat("property_magnitude", "real estate", "life insurance", "car", "no known property"), num("age", "years"),
			cat("other_payment_plans", "bank", "stores", "none"), cat("housing", "rent", "own", "for free"),
			num("existing_credits", "credits at this bank"),
			cat("job", "unemp/unskilled non res", "unskilled resident", "skilled", "high qualif/self emp/mgmt"),
			num("num_dependents", "people"), cat("own_telephone", "none", "yes"), cat("foreign_worker", "yes", "no"));

	private CreditData() {
	}

	static Column column(String name) {
		return COLUMNS.stream()
			.filter(c -> c.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("unknown column " + name));
	}

	/**
	 * Loads the CSV as a Tribuo dataset: numbers as {@code name@value} (a bad number
	 * throws rather than being skipped), categories one-hot as {@code name@category}, the
	 * label from {@code class} unchanged (the short FieldResponseProcessor constructors
	 * upper-case it).
	 * @throws IOException if the file cannot be read
	 * @throws IllegalArgumentException if the header is not the 20 attributes plus
	 * {@code class}, a label is not good/bad, or a cell is empty or not a number where
	 * one is expected
	 */
	static MutableDataset<Label> load(Path csv) throws IOException {
		checkHeader(csv);
		List<FieldProcessor> processors = new ArrayList<>();
		for (Column column : COLUMNS) {
			processors.add(column.kind() == CreditField.Kind.NUMERIC
					? new DoubleFieldProcessor(column.name(), false, true) : new IdentityProcessor(column.name()));
		}
		LabelFactory factory = new LabelFactory();
		FieldResponseProcessor<Label> response = new FieldResponseProcessor<>(List.of(LABEL_FIELD), List.of(""),
				factory, false, false);
		RowProcessor<Label> rows = new RowProcessor.Builder<Label>().setFieldProcessors(processors).build(response);
		MutableDataset<Label> dataset;
		try {
			dataset = new MutableDataset<>(new CSVDataSource<>(csv, rows, true));
		}
		catch (NumberFormatException e) {
			// DoubleFieldProcessor(throwOnInvalid) stops at the first bad number without
			// saying where
			throw new IllegalArgumentException(
					csv + ": a numeric cell is empty or not a number (" + e.getMessage() + ")", e);
		}
		for (var example : dataset) {
			// an empty numeric cell produces no feature, an empty categorical one the
			// category "": refuse both
			// rather than train on a hole
			boolean emptyCategory = false;
			for (var feature : example) {
				emptyCategory |= feature.getName().endsWith("@");
			}
			if (example.size() != COLUMNS.size() || emptyCategory) {
				throw new IllegalArgumentException(csv + ": a row has " + example.size() + " features, expected "
						+ COLUMNS.size() + ", or an empty category (empty cell?)");
			}
			String label = example.getOutput().getLabel();
			if (!label.equals(GOOD) && !label.equals(BAD)) {
				throw new IllegalArgumentException(csv + ": class must be good or bad, found '" + label + "'");
			}
		}
		return dataset;
	}

	private static void checkHeader(Path csv) throws IOException {
		try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
			String header = reader.readLine();
			List<String> expected = new ArrayList<>(COLUMNS.stream().map(Column::name).toList());
			expected.add(LABEL_FIELD);
			if (header == null || !Arrays.asList(header.strip().split(",", -1)).equals(expected)) {
				throw new IllegalArgumentException(
						csv + ": header must be " + String.join(",", expected) + " but is " + header);
			}
		}
	}

}
