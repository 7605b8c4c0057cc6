package org.mlpages.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.test.context.TestPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The app with a models folder of its own, so the models the training tests publish do
 * not show up in the other web tests; the training test classes share this context.
 */
@TestPropertySource(properties = { "mlpages.models-dir=" + TrainingTestSupport.MODELS,
		"mlpages.training.work-dir=" + TrainingTestSupport.WORK })
abstract class TrainingTestSupport extends WebTestSupport {

	static final String MODELS = "target/training-test-models";

	static final String WORK = "target/training-test-work";

	private static final Path TRAINING_PHOTOS = Path.of("src/test/resources/training/photos");

	private static boolean prepared;

	static {
		prepare();
	}

	private static synchronized void prepare() {
		if (prepared) {
			return;
		}
		try {
			Path dir = Path.of(MODELS);
			FileSystemUtils.deleteRecursively(dir);
			Files.createDirectories(dir);
			for (String file : new String[] { "cat_dog_model.h5", "cat_dog_model.yml" }) {
				Files.copy(Path.of("models", file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		prepared = true;
	}

	/** The fixture photos (see their NOTICE): 15 cats, 15 dogs, as zip entries. */
	static Map<String, byte[]> classFolders() {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (String label : new String[] { "cats", "dogs" }) {
			try (Stream<Path> files = Files.list(TRAINING_PHOTOS.resolve(label))) {
				for (Path file : files.sorted().toList()) {
					entries.put(label + "/" + file.getFileName(), Files.readAllBytes(file));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return entries;
	}

}
