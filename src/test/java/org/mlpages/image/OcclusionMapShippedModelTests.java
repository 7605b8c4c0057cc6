package org.mlpages.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.imageio.ImageIO;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlpages.image.explanation.HeatMap;
import org.mlpages.image.explanation.OcclusionMap;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the shipped cat/dog model looked, on photos whose answer is known: a cat pasted
 * into one corner of a plain background. The map's hottest cell lies on the cat, and the
 * cat's quarter loses the model more of its answer than the three empty ones.
 */
class OcclusionMapShippedModelTests {

	@ParameterizedTest(name = "the cat in the {0} corner")
	@CsvSource({ "top left, 0, 0", "bottom right, 1, 1", "top right, 0, 1" })
	void theHottestCellLiesOnTheCat(String corner, int quarterRow, int quarterCol) throws Exception {
		BufferedImage cat = ImageIO.read(Path.of("src/test/resources/photos/nasser0111_cat.jpg").toFile());
		BufferedImage composite = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = composite.createGraphics();
		g.setColor(new Color(196, 204, 212));
		g.fillRect(0, 0, 448, 448);
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(cat, 8 + quarterCol * 216, 8 + quarterRow * 216, 216, 216, null);
		g.dispose();
		BufferedImage grey = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
		Graphics2D gg = grey.createGraphics();
		gg.setColor(new Color(128, 128, 128));
		gg.fillRect(0, 0, 448, 448);
		gg.dispose();

		try (ImageModel model = load("cats_vs_dogs")) {
			var input = model.preprocessor().preprocessing();
			float[] tensor = model.preprocessor().toTensor(composite);
			Map<String, Double> answer = model
				.probabilities(model.predict(new PhotoBatch(tensor, 1, input.height(), input.width()))[0]);
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

			int[] hottest = map.hottest();
			assertThat(hottest[0] / 4).as("the hottest cell's row, in " + corner).isEqualTo(quarterRow);
			assertThat(hottest[1] / 4).as("the hottest cell's column, in " + corner).isEqualTo(quarterCol);
			double[] quarters = new double[4];
			for (int row = 0; row < 8; row++) {
				for (int col = 0; col < 8; col++) {
					quarters[row / 4 * 2 + col / 4] += map.value(row, col) / 16;
				}
			}
			for (int q = 0; q < 4; q++) {
				if (q != quarterRow * 2 + quarterCol) {
					assertThat(quarters[quarterRow * 2 + quarterCol]).as("the cat's quarter against quarter " + q)
						.isGreaterThan(quarters[q]);
				}
			}
		}
	}

	private static ImageModel load(String name) throws Exception {
		Path cache = Path.of("target/test-cache").toAbsolutePath();
		MlPagesProperties shipped = TestProperties.shippedModels(cache, 2, 1);
		MlPagesProperties properties = new MlPagesProperties(shipped.modelsDir(), shipped.uploadsDir(),
				shipped.dataDir(), shipped.cacheDir(), shipped.upload(),
				new MlPagesProperties.Image(40_000_000, 32, 2, 1, 0, false, Duration.ofSeconds(10),
						new MlPagesProperties.Batching(1, Duration.ofMillis(1)), TestProperties.inMemory(),
						TestProperties.queue()));
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("registry", new SimpleMeterRegistry()));
		return new ImageModelLoader(properties, beans.getBeanProvider(MeterRegistry.class)).load(name,
				Path.of("models", name + ".h5"), Path.of("models", name + ".yml"));
	}

}
