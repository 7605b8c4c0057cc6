package org.mlpages.image.explanation;

import java.util.ArrayList;
import java.util.List;

import ai.djl.translate.TranslateException;
import org.mlpages.image.PhotoBatch;

/**
 * Occlusion sensitivity: where covering the photo with grey makes the model less sure of
 * its answer. The model's input is cut into a grid of cells; a square of two cells by two
 * slides over it one cell at a time, and each position is predicted with that square
 * greyed out. A cell's value is the answer's probability lost, on average, when the
 * squares over it are grey: high where the model looked, zero or below where it did not.
 * <p>
 * Forward passes only, in batches, so it works for every model the importer loads, and
 * costs {@code (cells - 1)^2 + 1} predictions: 50 for the default 8 x 8 grid.
 */
public final class OcclusionMap {

	/** What predicts a batch of tensors; the model's batch inference. */
	@FunctionalInterface
	public interface Model {

		/** The answer's probability for each photo of the batch. */
		float[] probabilities(PhotoBatch batch) throws TranslateException;

	}

	private OcclusionMap() {
	}

	/**
	 * @param tensor the photo as the model takes it (height x width x channels)
	 * @param grey the tensor of a plain mid-grey image of the same size
	 * @param cells the grid's cells on each side
	 * @param batchSize photos predicted in one call
	 */
	public static HeatMap compute(float[] tensor, float[] grey, int height, int width, int channels, int cells,
			int batchSize, Model model) throws TranslateException {
		if (cells < 2 || height < cells || width < cells) {
			throw new IllegalArgumentException("a grid of at least 2 cells, each at least a pixel");
		}
		int positions = cells - 1;
		List<float[]> variants = new ArrayList<>(positions * positions + 1);
		variants.add(tensor);
		for (int row = 0; row < positions; row++) {
			for (int col = 0; col < positions; col++) {
				float[] greyed = tensor.clone();
				int top = edge(row, cells, height);
				int bottom = edge(row + 2, cells, height);
				int left = edge(col, cells, width);
				int right = edge(col + 2, cells, width);
				for (int y = top; y < bottom; y++) {
					int from = (y * width + left) * channels;
					System.arraycopy(grey, from, greyed, from, (right - left) * channels);
				}
				variants.add(greyed);
			}
		}
		float[] probabilities = new float[variants.size()];
		for (int start = 0; start < variants.size(); start += batchSize) {
			int count = Math.min(batchSize, variants.size() - start);
			float[] answered = model
				.probabilities(new PhotoBatch(variants.subList(start, start + count), height, width, channels));
			System.arraycopy(answered, 0, probabilities, start, count);
		}
		float base = probabilities[0];
		// a cell is under the squares that start on it, above it and to its left
		float[] values = new float[cells * cells];
		for (int row = 0; row < cells; row++) {
			for (int col = 0; col < cells; col++) {
				float lost = 0;
				int squares = 0;
				for (int r = Math.max(0, row - 1); r <= Math.min(positions - 1, row); r++) {
					for (int c = Math.max(0, col - 1); c <= Math.min(positions - 1, col); c++) {
						lost += base - probabilities[1 + r * positions + c];
						squares++;
					}
				}
				values[row * cells + col] = lost / squares;
			}
		}
		return new HeatMap(HeatMap.OCCLUSION, cells, cells, values, base);
	}

	/** The pixel where cell {@code index} starts, the grid spread over {@code size}. */
	private static int edge(int index, int cells, int size) {
		return (int) ((long) index * size / cells);
	}

}
