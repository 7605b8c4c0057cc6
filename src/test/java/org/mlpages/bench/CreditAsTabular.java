package org.mlpages.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mlpages.credit.model.CreditField;
import org.mlpages.credit.model.CreditModel;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped credit model as a tabular model: {@code credit_onnx.onnx}
 * ({@link CreditModel#toOnnx}) and a descriptor with the credit page's words (from
 * {@code credit.yml}) and the model's bounds and threshold, written into a models folder,
 * so that the same decision can be asked of both APIs
 * ({@code bench/credit-onnx-http.sh}). The baselines are the middle of each number's
 * bounds and each choice's first option: enough for the explanation to cost what it
 * costs, not a training median.
 */
public final class CreditAsTabular {

	private CreditAsTabular() {
	}

	public static void main(String[] args) throws IOException {
		Path target = Path.of(args[0]);
		Files.createDirectories(target);
		CreditModel model = CreditModel.load(BenchSupport.MODELS.resolve("credit.model"),
				BenchSupport.MODELS.resolve("credit.report.json"));
		Files.write(target.resolve("credit_onnx.onnx"), model.toOnnx());
		Map<String, Object> words = new Yaml()
			.load(Files.readString(BenchSupport.MODELS.resolve("credit.yml"), StandardCharsets.UTF_8));
		Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
		for (Object field : (List<?>) words.get("fields")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> f = (Map<String, Object>) field;
			byName.put((String) f.get("name"), f);
		}
		List<Map<String, Object>> fields = new ArrayList<>();
		for (CreditField field : model.schema().fields()) {
			Map<String, Object> f = new LinkedHashMap<>();
			Map<String, Object> text = byName.getOrDefault(field.name(), Map.of());
			f.put("name", field.name());
			f.put("en", text.getOrDefault("en", field.name()));
			f.put("fr", text.getOrDefault("fr", text.getOrDefault("en", field.name())));
			if (field.kind() == CreditField.Kind.NUMERIC) {
				// the model's inputs are floats: a whole-number answer is a number field
				// there
				f.put("kind", "number");
				f.put("min", field.min());
				f.put("max", field.max());
				f.put("baseline", String.valueOf(Math.round((field.min() + field.max()) / 2)));
			}
			else {
				f.put("kind", "choice");
				Map<String, Map<String, Object>> optionWords = new LinkedHashMap<>();
				for (Object option : (List<?>) text.getOrDefault("options", List.of())) {
					@SuppressWarnings("unchecked")
					Map<String, Object> o = (Map<String, Object>) option;
					optionWords.put(String.valueOf(o.get("value")), o);
				}
				List<Map<String, Object>> options = new ArrayList<>();
				for (String category : field.categories()) {
					Map<String, Object> o = new LinkedHashMap<>();
					o.put("value", category);
					Map<String, Object> w = optionWords.getOrDefault(category, Map.of());
					o.put("en", w.getOrDefault("en", category));
					o.put("fr", w.getOrDefault("fr", w.getOrDefault("en", category)));
					options.add(o);
				}
				f.put("options", options);
				f.put("baseline", field.categories().get(0));
			}
			fields.add(f);
		}
		Map<String, Object> descriptor = new LinkedHashMap<>();
		descriptor.put("title", Map.of("en", "Credit, through ONNX Runtime", "fr", "Crédit, par ONNX Runtime"));
		descriptor.put("classes", List.of(Map.of("value", "bad", "en", "refused", "fr", "refusé"),
				Map.of("value", "good", "en", "granted", "fr", "accordé")));
		descriptor.put("positive", "good");
		descriptor.put("threshold", model.threshold());
		descriptor.put("fields", fields);
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setAllowUnicode(true);
		Files.writeString(target.resolve("credit_onnx.yml"), new Yaml(options).dump(descriptor),
				StandardCharsets.UTF_8);
		System.out.println("credit_onnx.onnx and credit_onnx.yml written to " + target);
	}

}
