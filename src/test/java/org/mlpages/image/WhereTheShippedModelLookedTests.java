package org.mlpages.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.imageio.ImageIO;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlpages.image.explanation.HeatMap;
import org.mlpages.image.explanation.OcclusionMap;
import org.mlpages.keras.ClassActivationMaps;
import org.mlpages.system.MlPagesProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Where the shipped cat/dog model looked, on photos whose answer is known: a cat pasted
 * into one corner of a plain background. By both methods, the map's hottest cell lies on
 * the cat, and the cat's quarter weighs more than each of the three empty ones (it loses
 * the model more of its answer when greyed; it speaks more for "cat").
 */
class WhereTheShippedModelLookedTests {

	@ParameterizedTest(name = "the cat in the {0} corner, by occlusion")
	@CsvSource({ "top left, 0, 0", "bottom right, 1, 1", "top right, 0, 1" })
	void theOcclusionMapsHottestCellLiesOnTheCat(String corner, int quarterRow, int quarterCol) throws Exception {
		BufferedImage composite = catInACorner(quarterRow, quarterCol);
		BufferedImage grey = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
		Graphics2D gg = grey.createGraphics();
		gg.setColor(new Color(128, 128, 128));
		gg.fillRect(0, 0, 448, 448);
		gg.dispose();

		try (ImageModel model = load("cats_vs_dogs")) {
			var input = model.preprocessor().preprocessing();
			float[] tensor = model.preprocessor().toTensor(composite);
			Map<String, Double> answer = model
				.probabilities(model.predict(PhotoBatch.of(tensor, input.height(), input.width()))[0]);
			assertThat(answer.get("Cat")).as("the model's answer for the composite").isGreaterThan(0.5);

			HeatMap map = OcclusionMap.compute(tensor, model.preprocessor().toTensor(grey), input.height(),
					input.width(), 3, 8, 16, batch -> {
						float[][] scores = model.predict(batch);
						float[] cats = new float[scores.length];
						for (int i = 0; i < scores.length; i++) {
							cats[i] = model.probabilities(scores[i]).get("Cat").floatValue();
						}
						return cats;
					});

			assertTheCatsQuarterIsHottest(map, corner, quarterRow, quarterCol);
		}
	}

	/**
	 * The class activation map comes from a second graph of the model, cut before its
	 * pooling: its cells, averaged and through the softmax, give back the served model's
	 * own probabilities, so the map is the served model's.
	 */
	@ParameterizedTest(name = "the cat in the {0} corner, by class activation")
	@CsvSource({ "top left, 0, 0", "bottom right, 1, 1", "bottom left, 1, 0" })
	void theClassActivationMapsHottestCellLiesOnTheCat(String corner, int quarterRow, int quarterCol) throws Exception {
		BufferedImage composite = catInACorner(quarterRow, quarterCol);
		try (ImageModel model = load("cats_vs_dogs")) {
			assertThat(model.endsInGlobalPooling()).isTrue();
			var input = model.preprocessor().preprocessing();
			float[] tensor = model.preprocessor().toTensor(composite);
			float[] served = model.predict(PhotoBatch.of(tensor, input.height(), input.width()))[0];
			ClassActivationMaps activationMaps = model.activationMaps(Path.of("target/test-cache").toAbsolutePath())
				.orElseThrow();
			assertThat(activationMaps.featureLayer()).isEqualTo("out_relu");
			assertThat(activationMaps.rows()).isEqualTo(7);
			assertThat(activationMaps.cols()).isEqualTo(7);
			float[][] maps = activationMaps.maps(tensor);
			assertThat(ClassActivationMaps.probabilities(maps)).containsExactly(served, within(1e-4f));
			assertThat(served[0]).as("the model's answer for the composite: Cat").isGreaterThan(0.5f);

			float[] forCat = new float[49];
			for (int cell = 0; cell < 49; cell++) {
				forCat[cell] = maps[0][cell] - maps[1][cell];
			}
			HeatMap map = new HeatMap(HeatMap.CLASS_ACTIVATION, 7, 7, forCat, served[0]);
			assertTheCatsQuarterIsHottest(map, corner, quarterRow, quarterCol);
		}
	}

	@Test
	void theOriginalModelWithTwoDenseLayersHasNoClassActivationMap() throws Exception {
		try (ImageModel model = load("cat_dog_model")) {
			assertThat(model.endsInGlobalPooling()).isFalse();
			assertThat(model.activationMaps(Path.of("target/test-cache").toAbsolutePath())).isEmpty();
		}
	}

	/**
	 * The hottest cell is in the cat's quarter, and the cat's quarter's mean beats each
	 * other quarter's (on a 7 x 7 grid the middle row and column belong to neither half).
	 */
	private static void assertTheCatsQuarterIsHottest(HeatMap map, String corner, int quarterRow, int quarterCol) {
		int half = map.rows() / 2;
		int[] hottest = map.hottest();
		assertThat(hottest[0] < half ? 0 : hottest[0] >= map.rows() - half ? 1 : -1)
			.as("the hottest cell's row, in " + corner)
			.isEqualTo(quarterRow);
		assertThat(hottest[1] < half ? 0 : hottest[1] >= map.cols() - half ? 1 : -1)
			.as("the hottest cell's column, in " + corner)
			.isEqualTo(quarterCol);
		double[] quarters = new double[4];
		for (int qr = 0; qr < 2; qr++) {
			for (int qc = 0; qc < 2; qc++) {
				for (int row = 0; row < half; row++) {
					for (int col = 0; col < half; col++) {
						quarters[qr * 2 + qc] += map.value(qr == 0 ? row : map.rows() - half + row,
								qc == 0 ? col : map.cols() - half + col) / (half * half);
					}
				}
			}
		}
		for (int q = 0; q < 4; q++) {
			if (q != quarterRow * 2 + quarterCol) {
				assertThat(quarters[quarterRow * 2 + quarterCol]).as("the cat's quarter against quarter " + q)
					.isGreaterThan(quarters[q]);
			}
		}
	}

	/** The cat photo, 216 pixels wide, in one quarter of a plain 448 x 448 background. */
	private static BufferedImage catInACorner(int quarterRow, int quarterCol) throws Exception {
		BufferedImage cat = ImageIO.read(Path.of("src/test/resources/photos/nasser0111_cat.jpg").toFile());
		BufferedImage composite = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = composite.createGraphics();
		g.setColor(new Color(196, 204, 212));
		g.fillRect(0, 0, 448, 448);
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(cat, 8 + quarterCol * 216, 8 + quarterRow * 216, 216, 216, null);
		g.dispose();
		return composite;
	}

	private static ImageModel load(String name) throws Exception {
		return ShippedImageModels.load(name, new MlPagesProperties.Batching(1, Duration.ofMillis(1)),
				new SimpleMeterRegistry());
	}

}
