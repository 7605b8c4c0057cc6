package org.mlpages.image.photo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random mutator over real photos of every format the app reads, fed through the
 * path an upload takes (decoding for a model's input, the size check, the tensor): a
 * damaged photo may only be refused with the app's own {@link PhotoRejectedException},
 * never throw anything else, and never take long. Bounded in time; the seed is printed
 * and {@code -Dfuzz.seed} and {@code -Dfuzz.seconds} replay or lengthen a run.
 */
class PhotoDecoderFuzzTest {

	private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 8));

	/** Far above what a 224x224 decode of these photos takes (milliseconds). */
	private static final Duration PER_INPUT = Duration.ofSeconds(10);

	private final PhotoDecoder decoder = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS);

	private final Preprocessing input = Preprocessing.minusOneToOne(ResizeMode.CENTER_CROP, 224, 224);

	private final PhotoSizeCheck sizeCheck = new PhotoSizeCheck(PhotoSizeCheck.DEFAULT_MIN_SIDE);

	private final TensorPreprocessor tensor = new TensorPreprocessor(input);

	@Test
	void damagedPhotosAreRefusedOrReadNeverAnythingElse() throws Exception {
		long seed = Long.getLong("fuzz.seed", System.nanoTime());
		Random random = new Random(seed);
		List<byte[]> seeds = seedPhotos();
		ExecutorService worker = Executors.newSingleThreadExecutor();
		int inputs = 0;
		int read = 0;
		int refused = 0;
		long end = System.nanoTime() + BUDGET.toNanos();
		try {
			while (System.nanoTime() < end) {
				byte[] mutated = mutate(seeds.get(random.nextInt(seeds.size())), random);
				Future<Boolean> outcome = worker.submit(() -> takeAsAnUpload(mutated));
				try {
					if (outcome.get(PER_INPUT.toMillis(), TimeUnit.MILLISECONDS)) {
						read++;
					}
					else {
						refused++;
					}
				}
				catch (TimeoutException hang) {
					throw new AssertionError("seed " + seed + ": input " + inputs + " still decoding after "
							+ PER_INPUT.toSeconds() + " s; kept as " + kept(mutated, seed, inputs), hang);
				}
				catch (java.util.concurrent.ExecutionException failure) {
					throw new AssertionError(
							"seed " + seed + ": input " + inputs + " (" + mutated.length + " bytes) threw "
									+ failure.getCause() + "; kept as " + kept(mutated, seed, inputs),
							failure.getCause());
				}
				inputs++;
			}
		}
		finally {
			worker.shutdownNow();
		}
		System.out.printf("decoder fuzz, seed %d: %d damaged photos in %d s, %d read, %d refused%n", seed, inputs,
				BUDGET.toSeconds(), read, refused);
		assertThat(inputs).isGreaterThan(50);
		assertThat(refused).as("the mutations damage photos").isPositive();
	}

	/** The input that failed, for a test of its own. */
	private static Path kept(byte[] input, long seed, int index) throws IOException {
		Path file = Path.of("target/fuzz", "seed-" + seed + "-input-" + index + ".bin");
		Files.createDirectories(file.getParent());
		return Files.write(file, input);
	}

	/** True when read whole, false when refused with the app's own reason. */
	private boolean takeAsAnUpload(byte[] bytes) {
		try {
			DecodedPhoto decoded = decoder.decodeFor(bytes, input);
			sizeCheck.requireMinimum(decoded, input);
			assertThat(tensor.toTensor(decoded)).hasSize(tensor.tensorSize());
			return true;
		}
		catch (PhotoRejectedException refused) {
			return false;
		}
	}

	/**
	 * A few bytes flipped, a run overwritten, a slice cut out, doubled or cut off: what
	 * broken transfers, bad tools and hostile hands do to a file.
	 */
	private static byte[] mutate(byte[] photo, Random random) {
		byte[] bytes = photo.clone();
		int edits = 1 + random.nextInt(4);
		for (int e = 0; e < edits; e++) {
			int at = random.nextInt(bytes.length);
			switch (random.nextInt(5)) {
				case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
				case 1 -> {
					int length = Math.min(bytes.length - at, 1 + random.nextInt(64));
					for (int i = 0; i < length; i++) {
						bytes[at + i] = (byte) random.nextInt(256);
					}
				}
				case 2 -> bytes = Arrays.copyOf(bytes, Math.max(1, at));
				case 3 -> {
					int length = Math.min(bytes.length - at, 1 + random.nextInt(256));
					byte[] cut = new byte[bytes.length - length];
					System.arraycopy(bytes, 0, cut, 0, at);
					System.arraycopy(bytes, at + length, cut, at, bytes.length - at - length);
					bytes = cut.length == 0 ? new byte[] { 0 } : cut;
				}
				default -> {
					int length = Math.min(bytes.length - at, 1 + random.nextInt(256));
					byte[] doubled = Arrays.copyOf(bytes, bytes.length + length);
					System.arraycopy(bytes, at, doubled, at + length, bytes.length - at);
					bytes = doubled;
				}
			}
		}
		return bytes;
	}

	/**
	 * The test photos and fixtures: JPEG (baseline, progressive, CMYK, EXIF), PNG, GIF,
	 * BMP, WebP, TIFF.
	 */
	private static List<byte[]> seedPhotos() throws IOException {
		List<byte[]> photos = new ArrayList<>();
		for (Path dir : List.of(Path.of("src/test/resources/photo"), Path.of("src/test/resources/photos"))) {
			try (Stream<Path> files = Files.list(dir)) {
				for (Path file : files.filter(f -> f.toString().matches(".*\\.(jpg|png|gif|bmp|webp|tiff)"))
					.sorted()
					.toList()) {
					byte[] bytes = Files.readAllBytes(file);
					if (bytes.length > 0) {
						photos.add(bytes);
					}
				}
			}
		}
		return photos;
	}

}
