package org.mlpages.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule for a name already used in the models folder, whichever page adds the model:
 * any model's file of any kind takes the name.
 */
class ModelFilesTests {

	@TempDir
	Path dir;

	@Test
	void aFileOfAnyKindOfModelTakesItsName() throws Exception {
		for (String extension : List.of(".h5", ".keras", ".onnx", ".pkl", ".pickle", ".joblib", ".yml", ".yaml",
				".model", ".report.md")) {
			Path file = Files.writeString(dir.resolve("iris" + extension), "x");

			assertThat(ModelFiles.isNameInUse(dir, "iris")).as(extension).isTrue();

			Files.delete(file);
		}
	}

	@Test
	void otherNamesRetiredFilesAndOtherFilesDoNotTakeIt() throws Exception {
		Files.writeString(dir.resolve("iris2.onnx"), "x");
		Files.writeString(dir.resolve("iris.txt"), "x");
		Files.createDirectories(dir.resolve("retired/iris-20261207-100000"));
		Files.writeString(dir.resolve("retired/iris-20261207-100000/iris.onnx"), "x");

		assertThat(ModelFiles.isNameInUse(dir, "iris")).isFalse();
	}

}
