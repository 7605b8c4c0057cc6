package org.mlpages.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;

/**
 * The models folder the web tests start with: the shipped models with their shipped
 * descriptors, the first model described with the whole-photo resize the reference
 * outputs were computed with, and two models that cannot load, to show they do not stop
 * the others. Public for the tests that start the app on another database
 * (org.mlpages.history).
 */
public final class TestModels {

	public static final Path DIR = Path.of("target/test-models");

	/**
	 * Same weights as the shipped model; resizes the whole photo, as the reference
	 * outputs did.
	 */
	public static final String REFERENCE = "cat_dog_reference";

	public static final String SHIPPED = "cat_dog_model";

	/** The better, retrained model the demo page sends its photos to. */
	public static final String RETRAINED = "cats_vs_dogs";

	/**
	 * A tabular model: test/resources/tabular/onnx/pipeline_strings with its descriptor.
	 */
	public static final String TABULAR = "loans";

	private static boolean prepared;

	private TestModels() {
	}

	public static synchronized void prepare() {
		if (prepared) {
			return;
		}
		try {
			Files.createDirectories(DIR);
			Path shipped = Path.of("models");
			Files.copy(shipped.resolve(SHIPPED + ".h5"), DIR.resolve(SHIPPED + ".h5"),
					StandardCopyOption.REPLACE_EXISTING);
			Files.copy(shipped.resolve(SHIPPED + ".yml"), DIR.resolve(SHIPPED + ".yml"),
					StandardCopyOption.REPLACE_EXISTING);
			for (String file : new String[] { RETRAINED + ".h5", RETRAINED + ".yml" }) {
				Files.copy(shipped.resolve(file), DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
			Files.copy(shipped.resolve(SHIPPED + ".h5"), DIR.resolve(REFERENCE + ".h5"),
					StandardCopyOption.REPLACE_EXISTING);
			Files.writeString(DIR.resolve(REFERENCE + ".yml"), Files.readString(shipped.resolve(SHIPPED + ".yml"))
				.replace("resize: center-crop", "resize: stretch")
				.replace("Cat or dog? (original Teachable Machine model)", "Cat or dog? (whole photo)")
				.replace("Chat ou chien ? (modèle Teachable Machine d’origine)", "Chat ou chien ? (photo entière)"));
			Files.writeString(DIR.resolve("broken.h5"), "this is not an HDF5 file");
			Files.writeString(DIR.resolve("broken.yml"), "title:\n  en: Broken\nlabels:\n  - id: a\n  - id: b\n");
			Files.copy(shipped.resolve(SHIPPED + ".h5"), DIR.resolve("no_descriptor.h5"),
					StandardCopyOption.REPLACE_EXISTING);
			writeRecurrentModel(DIR.resolve("recurrent.h5"));
			for (String file : new String[] { "credit.model", "credit.report.json", "credit.yml" }) {
				Files.copy(shipped.resolve(file), DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
			Files.writeString(DIR.resolve("recurrent.yml"), "title:\n  en: Words\nlabels:\n  - id: a\n  - id: b\n");
			// a tabular model (ONNX, one input per column) and a pickle, which is never
			// opened
			Path tabular = Path.of("src/test/resources/tabular/onnx");
			Files.copy(tabular.resolve("pipeline_strings.onnx"), DIR.resolve(TABULAR + ".onnx"),
					StandardCopyOption.REPLACE_EXISTING);
			Files.copy(tabular.resolve("pipeline_strings.yml"), DIR.resolve(TABULAR + ".yml"),
					StandardCopyOption.REPLACE_EXISTING);
			Files.write(DIR.resolve("old_pipeline.pkl"), new byte[] { (byte) 0x80, 4, (byte) 0x95, 0 });
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		prepared = true;
	}

	/**
	 * A model with a layer the importer does not convert (an LSTM), written as Keras
	 * would lay it out.
	 */
	private static void writeRecurrentModel(Path file) throws IOException {
		Files.deleteIfExists(file);
		String config = """
				{"class_name": "Sequential", "config": {"name": "sequential", "layers": [
				  {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 224, 224, 3], "dtype": "float32",
				   "name": "input_1"}},
				  {"class_name": "LSTM", "config": {"name": "lstm_1", "units": 2}}]}}""";
		try (WritableHdfFile h5 = HdfFile.write(file)) {
			h5.putAttribute("model_config", config);
			h5.putAttribute("keras_version", "2.4.0");
			h5.putAttribute("backend", "tensorflow");
			h5.putGroup("model_weights").putAttribute("layer_names", new String[] { "lstm_1" });
		}
	}

}
