package org.mlpages.image;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.mlpages.image.photo.EnlargedPhoto;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.system.TestProperties;

/**
 * How much a reduced decode moves a model's scores, to choose
 * {@code SourceSampling.MARGIN}: each test photo enlarged to 40 megapixels (bilinear,
 * JPEG), decoded whole, then every n-th pixel of the part the model reads kept at margins
 * 1 to 8 times the input's side; prints P(Dog) per photo and the largest difference from
 * the whole decode and from the original photo. Not a test; run after
 * {@code mvn -q -DskipTests test-compile}: <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" org.mlpages.image.SamplingMarginComparison
 * </pre>
 */
public final class SamplingMarginComparison {

	private SamplingMarginComparison() {
	}

	public static void main(String[] args) throws Exception {
		Path cache = Path.of("target/test-cache").toAbsolutePath();
		var properties = TestProperties.shippedModels(cache, 1, 2);
		List<Path> photos;
		try (Stream<Path> s = Files.list(Path.of("src/test/resources/photos"))) {
			photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
		}
		int[] margins = { 1, 2, 3, 4, 6, 8 };
		PhotoDecoder decoder = new PhotoDecoder();
		for (String name : List.of("cats_vs_dogs", "cat_dog_model")) {
			try (ImageModel model = new ImageModelLoader(properties).load(name, Path.of("models/" + name + ".h5"),
					Path.of("models/" + name + ".yml"))) {
				Preprocessing in = model.preprocessor().preprocessing();
				double[] maxD = new double[margins.length];
				int[] flips = new int[margins.length];
				double[] maxFromOriginal = new double[margins.length];
				int[] flipsFromOriginal = new int[margins.length];
				double maxOrig = 0;
				int origFlips = 0;
				for (Path photo : photos) {
					byte[] original = Files.readAllBytes(photo);
					BufferedImage small = decoder.decode(original).image();
					double pSmall = p(model, small);
					EnlargedPhoto large = EnlargedPhoto.of(small, 40_000_000);
					int largeW = large.width();
					int largeH = large.height();
					BufferedImage full = decoder.decode(large.jpeg()).image();
					double pFull = p(model, full);
					maxOrig = Math.max(maxOrig, Math.abs(pFull - pSmall));
					if ((pFull > 0.5) != (pSmall > 0.5)) {
						origFlips++;
					}
					StringBuilder line = new StringBuilder(String.format("%s %s %dx%d small=%.4f full=%.4f", name,
							photo.getFileName(), largeW, largeH, pSmall, pFull));
					for (int i = 0; i < margins.length; i++) {
						BufferedImage sub = subsample(full, in, margins[i]);
						double ps = p(model, sub);
						maxD[i] = Math.max(maxD[i], Math.abs(ps - pFull));
						if ((ps > 0.5) != (pFull > 0.5)) {
							flips[i]++;
						}
						maxFromOriginal[i] = Math.max(maxFromOriginal[i], Math.abs(ps - pSmall));
						if ((ps > 0.5) != (pSmall > 0.5)) {
							flipsFromOriginal[i]++;
						}
						line.append(String.format(" m%d=%.4f", margins[i], ps));
					}
					System.out.println(line);
					System.out.flush();
				}
				System.out.printf("SUMMARY %s: whole decode vs original: max|dp| %.4f (%d labels changed)%n", name,
						maxOrig, origFlips);
				for (int i = 0; i < margins.length; i++) {
					System.out.printf(
							"SUMMARY %s margin %d: max|dp| vs whole %.4f (%d labels changed), vs original %.4f (%d)%n",
							name, margins[i], maxD[i], flips[i], maxFromOriginal[i], flipsFromOriginal[i]);
				}
			}
		}
	}

	/**
	 * What the reader keeps: every n-th pixel of the part a centre crop reads (the JPEG
	 * reader decodes each row whole and skips as it copies, so the kept pixels are the
	 * whole decode's).
	 */
	static BufferedImage subsample(BufferedImage full, Preprocessing input, int margin) {
		int w = full.getWidth();
		int h = full.getHeight();
		int tw = input.width();
		int th = input.height();
		Rectangle seen;
		if ((long) w * th > (long) h * tw) {
			int cropW = (int) Math.max(1, Math.min(Math.round((double) h * tw / th), w));
			seen = new Rectangle((w - cropW) / 2, 0, cropW, h);
		}
		else {
			int cropH = (int) Math.max(1, Math.min(Math.round((double) w * th / tw), h));
			seen = new Rectangle(0, (h - cropH) / 2, w, cropH);
		}
		int stepX = Math.max(1, seen.width / (margin * tw));
		int stepY = Math.max(1, seen.height / (margin * th));
		BufferedImage out = new BufferedImage((seen.width + stepX - 1) / stepX, (seen.height + stepY - 1) / stepY,
				BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < out.getHeight(); y++) {
			for (int x = 0; x < out.getWidth(); x++) {
				out.setRGB(x, y, full.getRGB(seen.x + x * stepX, seen.y + y * stepY));
			}
		}
		return out;
	}

	static double p(ImageModel model, BufferedImage image) throws Exception {
		var in = model.preprocessor().preprocessing();
		float[] t = model.preprocessor().toTensor(image);
		float[] scores = model.predict(PhotoBatch.of(t, in.height(), in.width()))[0];
		Map<String, Double> probs = model.probabilities(scores);
		return probs.get("Dog");
	}

}
