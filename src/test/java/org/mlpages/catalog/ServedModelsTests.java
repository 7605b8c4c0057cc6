package org.mlpages.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What both registries keep of their models: a model replaced hands back the one before
 * (which the registry closes), new files that fail leave the served model serving, and
 * the folder watch sees which files each model came from.
 */
class ServedModelsTests {

	private final ServedModels<String> models = new ServedModels<>();

	@Test
	void aModelReplacedHandsBackTheOneBeforeAndForgetsAnEarlierFailure() {
		models.failed("iris", Path.of("iris.onnx"), "bad file");
		assertThat(models.status("iris")).hasValue(ModelCard.Status.FAILED);

		assertThat(models.ready("iris", "first")).isNull();
		assertThat(models.ready("iris", "second")).isEqualTo("first");

		assertThat(models.find("iris")).hasValue("second");
		assertThat(models.status("iris")).hasValue(ModelCard.Status.READY);
		assertThat(models.failures()).isEmpty();
	}

	@Test
	void newFilesThatFailLeaveTheServedModelServingAndAreNotRetriedUntilTheyChange() {
		models.loadedFrom("iris", "v1");
		models.ready("iris", "model v1");
		models.loadedFrom("iris", "v2");
		models.failed("iris", Path.of("iris.onnx"), "bad file");

		models.keepServing("iris");

		assertThat(models.find("iris")).hasValue("model v1");
		assertThat(models.failedNames()).isEmpty();
		assertThat(models.isLoadedFrom("iris", "v2")).isTrue();
		assertThat(models.isLoadedFrom("iris", "v3")).isFalse();
	}

	@Test
	void aFailureWithNothingServedStaysOnItsCardWithTheFileAndWhy(@TempDir Path dir) throws Exception {
		Path file = Files.write(dir.resolve("iris.onnx"), new byte[1234]);
		models.loadedFrom("iris", "v1");
		models.failed("iris", file, "not an ONNX file");

		models.keepServing("iris");

		assertThat(models.loaded()).isEqualTo(Map.of("iris", "v1"));
		ModelCard card = models.failures().iterator().next().card("tabular-classifier");
		assertThat(card.status()).isEqualTo(ModelCard.Status.FAILED);
		assertThat(card.error()).isEqualTo("not an ONNX file");
		assertThat(card.file()).isEqualTo("iris.onnx");
		assertThat(card.fileSize()).isEqualTo(1234);
	}

	@Test
	void aModelRemovedIsHandedBackAndForgottenWithItsFiles() {
		models.loadedFrom("iris", "v1");
		models.ready("iris", "model");

		assertThat(models.remove("iris")).hasValue("model");

		assertThat(models.isKnown("iris")).isFalse();
		assertThat(models.loaded()).isEmpty();
		assertThat(models.remove("iris")).isEmpty();
	}

}
