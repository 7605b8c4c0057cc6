package org.mlpages.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.image.photo.DecodedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.keras.Npy;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

/**
 * Keras 3 {@code .keras} models served as the app serves any image model: a real
 * handwritten-digit classifier that takes grey 28x28 pictures, and a model that ends in
 * one sigmoid unit and rescales its input itself, each with a descriptor that gives only
 * what the model cannot say (titles and labels).
 */
class KerasArchiveModelsTests {

	@TempDir
	Path models;

	private final MlPagesProperties properties = TestProperties
		.shippedModels(Path.of("target/test-cache").toAbsolutePath(), 1, 1);

	@Test
	void aRealDigitClassifierReadsGreyPicturesWithoutBeingToldTheirSize() throws Exception {
		Path model = copy("keras/keras3/nhanphamthanh_mnist_model.keras", "digits.keras");
		Path descriptor = Files.writeString(models.resolve("digits.yml"), """
				title: {en: Digits, fr: Chiffres}
				labels: [{id: '0'}, {id: '1'}, {id: '2'}, {id: '3'}, {id: '4'}, {id: '5'}, {id: '6'}, {id: '7'},
				         {id: '8'}, {id: '9'}]
				""");
		try (ImageModel digits = new ImageModelLoader(properties).load("digits", model, descriptor)) {
			var input = digits.preprocessor().preprocessing();
			assertThat(input.width()).isEqualTo(28);
			assertThat(input.tensorSize()).isEqualTo(28 * 28);

			// white strokes on black, as MNIST's digits are
			float[] one = scores(digits, g -> g.drawLine(14, 4, 14, 23));
			float[] zero = scores(digits, g -> g.drawOval(8, 4, 12, 19));
			assertThat(argmax(one)).as("a vertical stroke").isEqualTo(1);
			assertThat(argmax(zero)).as("a ring").isEqualTo(0);
		}
	}

	@Test
	void oneSigmoidUnitGivesAProbabilityToEachOfTwoLabels() throws Exception {
		// a Sequential model with per-channel Rescaling, CenterCrop and one sigmoid unit
		Path model = copy("keras/generated-keras3/keras3_sequential_augment.keras", "pets.keras");
		Path descriptor = Files.writeString(models.resolve("pets.yml"), """
				title: {en: Pets}
				labels: [{id: Cat}, {id: Dog}]
				input: {resize: stretch}
				""");
		try (ImageModel pets = new ImageModelLoader(properties).load("pets", model, descriptor)) {
			var input = pets.preprocessor().preprocessing();
			assertThat(input.scale()).as("the model rescales its input itself").isEqualTo(1f);
			Npy.Array x = Npy.read(resource("keras/generated-keras3/keras3_sequential_augment.input.npy"));
			Npy.Array expected = Npy.read(resource("keras/generated-keras3/keras3_sequential_augment.expected.npy"));
			float[][] scores = pets.predict(FlatPhotos.split(x.floats(), 2, input.height(), input.width()));
			for (int i = 0; i < 2; i++) {
				double dog = expected.values()[i];
				assertThat(scores[i][1]).as("Dog, the positive label").isCloseTo((float) dog, within(1e-4f));
				assertThat(scores[i][0]).as("Cat").isCloseTo((float) (1 - dog), within(1e-4f));
			}
		}
	}

	/**
	 * The shipped cats_vs_dogs.h5 saved as Keras 3 does in three forms people's models
	 * have (generators/make_cat_dog_variants.py): one sigmoid unit, raw logits, BGR
	 * input. Each, described as its author would, must give the shipped model's
	 * probabilities.
	 */
	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = { "sigmoid|", "logits|", "bgr|color: bgr" })
	void aCatDogModelInTheFormPeopleHaveGivesTheProbabilitiesOfTheShippedOne(String variant, String color)
			throws Exception {
		Path file = copy("keras/generated-keras3/cats_vs_dogs_" + variant + ".keras", "pets.keras");
		Path descriptor = Files.writeString(models.resolve("pets.yml"), """
				title: {en: 'Cat or dog?', fr: 'Chat ou chien ?'}
				labels: [{id: Cat, en: Cat, fr: Chat}, {id: Dog, en: Dog, fr: Chien}]
				input: {scale: 0.007843138, offset: -1, %s}
				""".formatted(color == null ? "" : color));
		try (ImageModel variantModel = new ImageModelLoader(properties).load("pets", file, descriptor);
				ImageModel shipped = new ImageModelLoader(properties).load("cats_vs_dogs",
						Path.of("models/cats_vs_dogs.h5"), Path.of("models/cats_vs_dogs.yml"))) {
			int compared = 0;
			try (var photos = Files.list(Path.of("src/test/resources/photos"))) {
				for (Path photo : photos.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(12).toList()) {
					DecodedPhoto decoded = new PhotoDecoder(40_000_000).decode(Files.readAllBytes(photo));
					float[] expected = shipped.predict(batch(shipped, decoded))[0];
					float[] scores = variantModel.predict(batch(variantModel, decoded))[0];
					assertThat(scores).as(photo.getFileName().toString()).hasSize(2);
					assertThat(scores[0] + scores[1]).isCloseTo(1f, within(1e-6f));
					assertThat(scores[1]).as("P(Dog) of " + photo.getFileName()).isCloseTo(expected[1], within(1e-5f));
					compared++;
				}
			}
			assertThat(compared).isGreaterThanOrEqualTo(8);

			var messages = new org.springframework.context.support.ResourceBundleMessageSource();
			messages.setBasename("messages/messages");
			messages.setDefaultEncoding("UTF-8");
			String output = switch (variant) {
				case "sigmoid" -> "one unit (sigmoid): the probability of Dog; the other label gets the rest";
				case "logits" -> "raw scores, turned into one probability per label (softmax)";
				default -> "one probability per label (softmax)";
			};
			assertThat(variantModel.card(java.util.Locale.ENGLISH, messages).details()).containsEntry("model.output",
					output);
			if (variant.equals("sigmoid")) {
				assertThat(variantModel.card(java.util.Locale.FRENCH, messages).details()).containsEntry("model.output",
						"une seule unité (sigmoïde) : la probabilité de Chien ; l’autre étiquette reçoit le reste");
			}
		}
	}

	private static PhotoBatch batch(ImageModel model, DecodedPhoto photo) {
		var input = model.preprocessor().preprocessing();
		return PhotoBatch.of(model.preprocessor().toTensor(photo), input.height(), input.width());
	}

	@Test
	void theDescriptorThatDescribePrintsServesTheModelOnceFilledIn() throws Exception {
		for (String file : new String[] { "keras/keras3/nhanphamthanh_mnist_model.keras",
				"keras/generated-keras3/keras3_sequential_augment.keras" }) {
			Path model = copy(file, "m.keras");
			var out = new java.io.ByteArrayOutputStream();
			int exit = org.mlpages.Commands.run(
					new String[] { "describe", model.toString(), "--cache", properties.cacheDir().toString() },
					new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err);
			assertThat(exit).isZero();
			String skeleton = out.toString(java.nio.charset.StandardCharsets.UTF_8);
			// the data person's part: titles and label names
			Path descriptor = Files.writeString(models.resolve("m.yml"),
					skeleton.replace("TODO", "X1")
						.replaceAll("id: X1_(\\d+)", "id: label$1")
						.replace("positive: X1_1", "positive: label1"));
			try (ImageModel served = new ImageModelLoader(properties).load("m", model, descriptor)) {
				assertThat(served.descriptor().labels()).hasSizeGreaterThanOrEqualTo(2);
			}
			Files.delete(model);
		}
	}

	private float[] scores(ImageModel model, Consumer<Graphics2D> draw) throws Exception {
		BufferedImage picture = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = picture.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.setStroke(new BasicStroke(3));
		draw.accept(g);
		g.dispose();
		var input = model.preprocessor().preprocessing();
		return model.predict(PhotoBatch.of(model.preprocessor().toTensor(picture), input.height(), input.width(),
				input.color().channels()))[0];
	}

	private static int argmax(float[] values) {
		int best = 0;
		for (int i = 1; i < values.length; i++) {
			if (values[i] > values[best]) {
				best = i;
			}
		}
		return best;
	}

	private Path copy(String resource, String name) throws IOException {
		return Files.copy(resource(resource), models.resolve(name));
	}

	private static Path resource(String name) {
		try {
			return Path.of(KerasArchiveModelsTests.class.getResource("/" + name).toURI());
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
