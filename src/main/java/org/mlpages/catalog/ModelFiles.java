package org.mlpages.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model's files in the models folder ({@code name.h5} and {@code name.yml}, say),
 * summed up as their names, sizes and modification times: two instances sharing the
 * folder see the same fingerprint, and a file rewritten under the same name changes it.
 */
public final class ModelFiles {

	/**
	 * What a model's name may be: its files are named after it and its page's address
	 * ends with it, so letters, digits, '_' and '-', 64 at most.
	 */
	public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

	private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

	/**
	 * Every file the models folder names after a model, of any kind: Keras and ONNX
	 * models, pickles waiting to be exported, descriptors, a trained model's report, the
	 * built-in credit model's own file.
	 */
	private static final List<String> ANY_MODELS_FILE = List.of(".h5", ".keras", ".onnx", ".pkl", ".pickle", ".joblib",
			".yml", ".yaml", ".model", ".report.md");

	private ModelFiles() {
	}

	public static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches();
	}

	/**
	 * Whether a file of any model in the folder bears that name, whichever page would add
	 * the new one: a new model never writes over another's files (an image model's
	 * descriptor over a tabular model's, say).
	 */
	public static boolean isNameInUse(Path dir, String name) {
		return ANY_MODELS_FILE.stream().anyMatch(extension -> Files.exists(dir.resolve(name + extension)));
	}

	/**
	 * The fingerprint of {@code name}'s files with these extensions that exist (in that
	 * order), or empty when none does.
	 */
	public static String fingerprint(Path dir, String name, List<String> extensions) {
		StringBuilder fingerprint = new StringBuilder();
		for (String extension : extensions) {
			Path file = dir.resolve(name + extension);
			try {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				if (attributes.isRegularFile()) {
					fingerprint.append(extension)
						.append(':')
						.append(attributes.size())
						.append(':')
						.append(attributes.lastModifiedTime().toMillis())
						.append(';');
				}
			}
			catch (IOException ex) {
				// not there (or gone meanwhile): not part of the model now
			}
		}
		return fingerprint.toString();
	}

}
