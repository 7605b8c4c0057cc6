package org.mlpages.credit.model;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The committed data, model and side file, and one valid applicant (the CSV's first row)
 * as a form sends it.
 */
final class CreditFixtures {

	static final Path CSV = Path.of("data/credit/credit-g.csv");
	static final Path MODEL = Path.of("models/credit.model");
	static final Path SIDE = Path.of("models/credit.report.json");

	private static CreditModel model;

	private CreditFixtures() {
	}

	/** The committed model, loaded once per test JVM (it is immutable). */
	static synchronized CreditModel model() {
		if (model == null) {
			try {
				model = CreditModel.load(MODEL, SIDE);
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return model;
	}

	/** A fresh, mutable copy of a valid applicant's answers, all strings. */
	static Map<String, Object> applicant() {
		try (InputStream in = CreditFixtures.class.getResourceAsStream("/credit/applicant.json")) {
			return new LinkedHashMap<>(
					JsonMapper.builder().build().readValue(in, new TypeReference<Map<String, Object>>() {
					}));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
