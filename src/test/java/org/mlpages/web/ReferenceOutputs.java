package org.mlpages.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The outputs an implementation independent of TensorFlow computed for the 22 reference
 * photos ({@code src/test/resources/keras/expected/cat_dog_model}), in the order of
 * {@code files.txt}.
 */
record ReferenceOutputs(List<String> photos, float[][] probabilities) {

	static final List<String> LABELS = List.of("Cat", "Dog");

	static ReferenceOutputs load() {
		Path dir = Path.of("src/test/resources/keras/expected/cat_dog_model");
		try {
			List<String> photos = Files.readAllLines(dir.resolve("files.txt"))
				.stream()
				.filter(line -> !line.isBlank())
				.map(line -> line.split("\t")[1])
				.toList();
			ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("output.bin")))
				.order(ByteOrder.LITTLE_ENDIAN);
			float[][] probabilities = new float[photos.size()][LABELS.size()];
			for (float[] row : probabilities) {
				for (int i = 0; i < row.length; i++) {
					row[i] = buffer.getFloat();
				}
			}
			return new ReferenceOutputs(photos, probabilities);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String label(int photo) {
		return probabilities[photo][0] >= probabilities[photo][1] ? LABELS.get(0) : LABELS.get(1);
	}

}
