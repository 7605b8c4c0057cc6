package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;
import org.mlpages.image.photo.ResizeMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageModelDescriptorReaderTest {

	@TempDir
	Path dir;

	@Test
	void readsTheShippedDescriptor() {
		ImageModelDescriptor descriptor = ImageModelDescriptorReader.read(Path.of("models/cat_dog_model.yml"));

		assertThat(descriptor.title().in(Locale.FRENCH))
			.isEqualTo("Chat ou chien ? (modèle Teachable Machine d’origine)");
		assertThat(descriptor.title().in(Locale.GERMAN)).isEqualTo("Cat or dog? (original Teachable Machine model)");
		assertThat(descriptor.order()).as("after the retrained model in the menu").isEqualTo(20);
		assertThat(descriptor.accuracy().in(Locale.FRENCH)).startsWith("83,0 %");
		assertThat(descriptor.labelIds()).containsExactly("Cat", "Dog");
		assertThat(descriptor.labels().get(1).displayName(Locale.FRENCH)).isEqualTo("Chien");
		assertThat(descriptor.input().resize()).isEqualTo(ResizeMode.CENTER_CROP);
		assertThat(descriptor.input().width()).isEqualTo(224);
		assertThat(descriptor.input().scale() * 127.5f).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
		assertThat(descriptor.input().offset()).isEqualTo(-1f);
	}

	@Test
	void fillsDefaultsForAMinimalDescriptor() throws IOException {
		Path file = write("""
				title:
				  en: Birds
				labels:
				  - id: sparrow
				  - id: robin
				""");

		ImageModelDescriptor descriptor = ImageModelDescriptorReader.read(file);

		// the size, channels and scaling not given are the model's (ImageModelIo)
		assertThat(descriptor.input().width()).isNull();
		assertThat(descriptor.input().scale()).isNull();
		assertThat(descriptor.input().color()).isNull();
		assertThat(descriptor.output()).isNull();
		assertThat(descriptor.input().resize()).isEqualTo(ResizeMode.CENTER_CROP);
		assertThat(descriptor.labels().get(0).displayName(Locale.FRENCH)).isEqualTo("sparrow");
		assertThat(descriptor.order()).isEqualTo(50);
		assertThat(descriptor.accuracy()).isNull();
	}

	@Test
	void namesTheFieldThatIsWrong() throws IOException {
		Path noLabels = write("title:\n  en: Birds\n");
		Path badResize = write("title:\n  en: Birds\nlabels:\n  - id: a\n  - id: b\ninput:\n  resize: squash\n");
		Path twice = write("title:\n  en: Birds\nlabels:\n  - id: a\n  - id: a\n");
		Path badColor = write("title:\n  en: Birds\nlabels:\n  - id: a\n  - id: b\ninput:\n  color: cmyk\n");
		Path badOutput = write("title:\n  en: Birds\nlabels:\n  - id: a\n  - id: b\noutput: relu\n");
		Path badPositive = write("title:\n  en: Birds\nlabels:\n  - id: a\n  - id: b\npositive: c\n");

		assertThatThrownBy(() -> ImageModelDescriptorReader.read(noLabels))
			.isInstanceOf(InvalidDescriptorException.class)
			.hasMessageContaining("labels");
		assertThatThrownBy(() -> ImageModelDescriptorReader.read(badResize))
			.isInstanceOf(InvalidDescriptorException.class)
			.hasMessageContaining("input.resize");
		assertThatThrownBy(() -> ImageModelDescriptorReader.read(twice)).isInstanceOf(InvalidDescriptorException.class)
			.hasMessageContaining("twice");
		assertThatThrownBy(() -> ImageModelDescriptorReader.read(badColor))
			.hasMessageContaining("input.color is rgb, bgr or grey, not 'cmyk'");
		assertThatThrownBy(() -> ImageModelDescriptorReader.read(badOutput))
			.hasMessageContaining("output is softmax, sigmoid or logits, not 'relu'");
		assertThatThrownBy(() -> ImageModelDescriptorReader.read(badPositive))
			.hasMessageContaining("'c' is not among them");
	}

	@Test
	void aFileThatIsNotYamlIsReportedNotThrownRaw() throws IOException {
		Path file = write("title: [unclosed\n  - : :\n");

		assertThatThrownBy(() -> ImageModelDescriptorReader.read(file)).isInstanceOf(InvalidDescriptorException.class)
			.hasMessageContaining(file.getFileName().toString());
	}

	private Path write(String yaml) throws IOException {
		Path file = Files.createTempFile(dir, "model", ".yml");
		Files.writeString(file, yaml);
		return file;
	}

}
