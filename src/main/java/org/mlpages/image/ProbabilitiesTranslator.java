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

	private final ImageModelIo io;

	ProbabilitiesTranslator(ImageModelIo io) {
		this.io = io;
	}

	@Override
	public NDList processInput(TranslatorContext ctx, PhotoBatch batch) {
		// Given a heap buffer, DJL copies it into a new direct ByteBuffer and that into
		// the tensor; the direct buffer (600 KB a photo) then waits in malloc's arenas
		// for the garbage collector. A native copy freed at once leaves nothing behind;
		// the photos go into it one by one, never gathered into one heap array first.
		int perPhoto = batch.perPhoto();
		try (FloatPointer data = new FloatPointer((long) batch.count() * perPhoto)) {
			for (int i = 0; i < batch.count(); i++) {
				data.position((long) i * perPhoto).put(batch.photos().get(i), 0, perPhoto);
			}
			data.position(0);
			Shape shape = switch (io.inputRank()) {
				case 3 -> new Shape(batch.count(), batch.height(), batch.width());
				case 2 -> new Shape(batch.count(), batch.perPhoto());
				default -> new Shape(batch.count(), batch.height(), batch.width(), batch.channels());
			};
			NDArray input = ctx.getNDManager().create(data.asByteBuffer(), shape, DataType.FLOAT32);
			return new NDList(input);
		}
	}

	@Override
	public float[][] processOutput(TranslatorContext ctx, NDList list) {
		NDArray output = list.singletonOrThrow();
		long[] shape = output.getShape().getShape();
		int rows = (int) shape[0];
		int units = (int) (output.size() / rows);
		boolean logits = io.output() == ImageModelIo.Output.LOGITS;
		if (logits && units > 1) {
			output = output.softmax(-1);
		}
		float[] flat = output.toFloatArray();
		if (logits && units == 1) {
			for (int i = 0; i < flat.length; i++) {
				flat[i] = (float) (1 / (1 + Math.exp(-flat[i])));
			}
		}
		if (units == 1) {
			// one unit is the probability of the positive label; the other gets the rest
			int positive = io.positiveLabel();
			float[][] result = new float[rows][2];
			for (int row = 0; row < rows; row++) {
				result[row][positive] = flat[row];
				result[row][1 - positive] = 1f - flat[row];
			}
			return result;
		}
		float[][] result = new float[rows][units];
		for (int row = 0; row < rows; row++) {
			System.arraycopy(flat, row * units, result[row], 0, units);
		}
		return result;
	}

}
