package org.mlpages.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Hands a ready-made batch to the engine and reads one row of class scores per photo.
 * Pre-processing stays outside, so the same tensors can come from a page, the API or a
 * benchmark.
 */
final class ProbabilitiesTranslator implements NoBatchifyTranslator<PhotoBatch, float[][]> {

	private final boolean outputsLogits;

	ProbabilitiesTranslator(boolean outputsLogits) {
		this.outputsLogits = outputsLogits;
	}

	@Override
	public NDList processInput(TranslatorContext ctx, PhotoBatch batch) {
		// Given a heap buffer, DJL copies it into a new direct ByteBuffer and that into
		// the
		// tensor; the direct buffer (600 KB a photo) then waits in malloc's arenas for
		// the
		// garbage collector. A native copy freed at once leaves nothing behind.
		try (FloatPointer data = new FloatPointer(batch.data())) {
			NDArray input = ctx.getNDManager()
				.create(data.asByteBuffer(), new Shape(batch.count(), batch.height(), batch.width(), 3),
						DataType.FLOAT32);
			return new NDList(input);
		}
	}

	@Override
	public float[][] processOutput(TranslatorContext ctx, NDList list) {
		NDArray output = list.singletonOrThrow();
		if (outputsLogits) {
			output = output.softmax(-1);
		}
		long[] shape = output.getShape().getShape();
		int rows = (int) shape[0];
		int classes = (int) (output.size() / rows);
		float[] flat = output.toFloatArray();
		float[][] result = new float[rows][classes];
		for (int row = 0; row < rows; row++) {
			System.arraycopy(flat, row * classes, result[row], 0, classes);
		}
		return result;
	}

}
