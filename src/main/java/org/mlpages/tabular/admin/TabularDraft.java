package org.mlpages.tabular.admin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.mlpages.onnx.OnnxClassifier;
import org.mlpages.onnx.OnnxGraphFacts;

/**
 * An uploaded ONNX file, inspected, waiting to be described and published: what the model
 * declares (its inputs, classes, how it gives probabilities, who wrote it).
 */
public record TabularDraft(String id, Path dir, Path file, String uploadedName, List<OnnxClassifier.Input> inputs,
		List<String> classes, OnnxClassifier.Probabilities probabilities, OnnxGraphFacts facts, Instant created) {

	/** The name the form starts with: the file's, as a model's name may be written. */
	String suggestedName() {
		String base = uploadedName.replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_-]", "_");
		return base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "model" : base;
	}

}
