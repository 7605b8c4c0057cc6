package org.mlpages.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.mlpages.image.ImageModelLoader;
import org.mlpages.image.ImageModels;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;
import org.mlpages.tabular.TabularModels;

import org.springframework.context.support.ResourceBundleMessageSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The models folder as another instance changes it (or an operator copying files): the
 * real image and tabular registries on a folder of their own, and the watch looking at it
 * as its schedule would, one look at a time.
 */
class ModelFolderWatchTests {

	private static final Path TABULAR = Path.of("src/test/resources/tabular/onnx");

	@TempDir
	Path dir;

	private ImageModels images;

	private TabularModels tabular;

	private ModelFolderWatch watch;

	@BeforeEach
	void emptyFolder() throws IOException {
		MlPagesProperties properties = new MlPagesProperties(dir, dir.resolve("uploads"), dir.resolve("data"),
				Path.of("target/test-cache"), TestProperties.upload(),
				TestProperties.image(1, 1, false, Duration.ofSeconds(10)));
		ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
		messages.setBasename("messages/messages");
		messages.setDefaultEncoding("UTF-8");
		images = new ImageModels(properties, new ImageModelLoader(properties), messages, event -> {
		});
		tabular = new TabularModels(properties, messages, List.of());
		watch = new ModelFolderWatch(List.of(images, tabular), Duration.ofSeconds(5));
		watch.look();
	}

	@AfterEach
	void close() {
		images.destroy();
		tabular.destroy();
	}

	@Test
	void aModelCopiedIntoTheFolderIsServedOnceItsFilesStayTheSameForALook() throws IOException {
		copyTabular("loans");
		watch.look();
		assertThat(tabular.find("loans")).as("seen once, may still be copying").isEmpty();
		watch.look();
		assertThat(tabular.find("loans"))
			.hasValueSatisfying(model -> assertThat(model.descriptor().title().in(Locale.ENGLISH))
				.isEqualTo("Would this loan be repaid?"));

		Files.copy(Path.of("models/cat_dog_model.h5"), dir.resolve("pets.h5"));
		watch.look();
		// the descriptor comes last, as the admin's page writes it
		Files.writeString(dir.resolve("pets.yml"), Files.readString(Path.of("models/cat_dog_model.yml")));
		watch.look();
		assertThat(images.find("pets")).as("its descriptor only just written").isEmpty();
		watch.look();
		assertThat(images.find("pets")).isPresent();
		assertThat(images.status("pets")).hasValue(ModelCard.Status.READY);
	}

	@Test
	void aChangedModelIsLoadedAgainAndABrokenOneLeavesTheServedOneInPlace() throws IOException {
		copyTabular("loans");
		watch.look();
		watch.look();
		Path descriptor = dir.resolve("loans.yml");
		Files.writeString(descriptor, Files.readString(descriptor).replace("Would this loan be repaid?", "Repaid?"));
		Files.setLastModifiedTime(descriptor, FileTime.from(Instant.now().plusSeconds(5)));
		watch.look();
		watch.look();
		assertThat(tabular.find("loans").orElseThrow().descriptor().title().in(Locale.ENGLISH)).isEqualTo("Repaid?");

		Files.writeString(dir.resolve("loans.onnx"), "not a model any more");
		watch.look();
		watch.look();
		assertThat(tabular.find("loans")).as("the model loaded before still serves")
			.hasValueSatisfying(
					model -> assertThat(model.descriptor().title().in(Locale.ENGLISH)).isEqualTo("Repaid?"));
		assertThat(tabular.status("loans")).hasValue(ModelCard.Status.READY);
	}

	@Test
	void aModelWhoseFilesLeftTheFolderIsNoLongerServedAndItsFilesAreNotTouched() throws IOException {
		copyTabular("loans");
		Files.copy(Path.of("models/cat_dog_model.h5"), dir.resolve("pets.h5"));
		Files.copy(Path.of("models/cat_dog_model.yml"), dir.resolve("pets.yml"));
		watch.look();
		watch.look();
		assertThat(images.find("pets")).isPresent();

		// another instance retired them: their files went to retired/
		Path retired = Files.createDirectories(dir.resolve("retired/elsewhere"));
		for (String file : List.of("loans.onnx", "loans.yml", "pets.h5", "pets.yml")) {
			Files.move(dir.resolve(file), retired.resolve(file));
		}
		watch.look();
		watch.look();
		assertThat(images.find("pets")).isEmpty();
		assertThat(images.status("pets")).isEmpty();
		assertThat(tabular.find("loans")).isEmpty();
		assertThat(retired.resolve("pets.h5")).exists();
		assertThat(Files.list(retired).count()).isEqualTo(4);
	}

	@Test
	void aModelThisInstancePublishedItselfIsNotLoadedASecondTime() throws IOException {
		copyTabular("loans");
		watch.look();
		var published = tabular.publish("loans");
		watch.look();
		watch.look();
		assertThat(tabular.find("loans")).containsSame(published);
	}

	private void copyTabular(String name) throws IOException {
		Files.copy(TABULAR.resolve("pipeline_strings.onnx"), dir.resolve(name + ".onnx"),
				StandardCopyOption.REPLACE_EXISTING);
		Files.copy(TABULAR.resolve("pipeline_strings.yml"), dir.resolve(name + ".yml"),
				StandardCopyOption.REPLACE_EXISTING);
	}

}
