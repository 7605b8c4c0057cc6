package org.mlpages.image.photo;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Decode + preprocess time for a typical upload and for a phone-camera-sized one. Not run
 * by the test suite; run with
 * {@code java -cp <test classpath> org.mlpages.image.photo.PhotoPipelineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PhotoPipelineBenchmark {

	/**
	 * "small": the reference photo cdf_validation_dog.2005.jpg, 499x375. "12mp":
	 * 4000x3000 made from a photo.
	 */
	@Param({ "small", "12mp" })
	public String photo;

	private byte[] bytes;

	private final PhotoDecoder decoder = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS);

	private final TensorPreprocessor preprocessor = new TensorPreprocessor(
			Preprocessing.minusOneToOne(ResizeMode.STRETCH, 224, 224));

	private DecodedPhoto decoded;

	@Setup
	public void setUp() throws IOException {
		bytes = switch (photo) {
			case "small" -> Fixtures.referencePhoto("cdf_validation_dog.2005.jpg");
			case "12mp" -> twelveMegapixelJpeg();
			default -> throw new IllegalArgumentException(photo);
		};
		decoded = decoder.decode(bytes);
	}

	@Benchmark
	public float[] decodeAndPreprocess() {
		return preprocessor.toTensor(decoder.decode(bytes));
	}

	@Benchmark
	public DecodedPhoto decodeOnly() {
		return decoder.decode(bytes);
	}

	@Benchmark
	public float[] preprocessOnly() {
		return preprocessor.toTensor(decoded);
	}

	/**
	 * The 1200x1800 reference photo turned and scaled up to 4000x3000 with detail noise,
	 * saved at quality 90.
	 */
	static byte[] twelveMegapixelJpeg() throws IOException {
		BufferedImage source = ImageIO
			.read(new java.io.ByteArrayInputStream(Fixtures.referencePhoto("nasser0111_cat.jpg")));
		BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
		java.awt.Graphics2D g = big.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(source, 0, 0, 4000, 3000, null);
		g.dispose();
		// sensor-like noise so the file has the entropy (and decode cost) of a real
		// camera JPEG
		java.util.Random random = new java.util.Random(1);
		int[] data = ((java.awt.image.DataBufferInt) big.getRaster().getDataBuffer()).getData();
		for (int i = 0; i < data.length; i++) {
			int n = random.nextInt(9) - 4;
			int p = data[i];
			data[i] = clamp((p >> 16 & 0xFF) + n) << 16 | clamp((p >> 8 & 0xFF) + n) << 8 | clamp((p & 0xFF) + n);
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
			writer.setOutput(stream);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.9f);
			writer.write(null, new IIOImage(big, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return out.toByteArray();
	}

	private static int clamp(int v) {
		return Math.max(0, Math.min(255, v));
	}

	public static void main(String[] args) throws RunnerException {
		new Runner(new OptionsBuilder().include(PhotoPipelineBenchmark.class.getSimpleName()).build()).run();
	}

}
