package org.mlpages.keras;

import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A cut Keras model ({@link KerasModelCut}) built into an in-memory TensorFlow graph, run
 * batch by batch. No SavedModel is exported: features are only needed while training a
 * head or drawing a class activation map, and a session on the graph is the shortest way
 * to them. TensorFlow uses every core for one batch, so one extractor is meant to be used
 * by one thread.
 */
public final class KerasFeatureExtractor implements AutoCloseable {

	private static final String INPUT = "features_input";

	private static final String OUTPUT = "features_output";

	private final Graph graph;

	private final Session session;

	private final long[] inputShape;

	private final long[] outputShape;

	private final int featureSize;

	private KerasFeatureExtractor(Graph graph, Session session, long[] inputShape, long[] outputShape) {
		this.graph = graph;
		this.session = session;
		this.inputShape = inputShape;
		this.outputShape = outputShape;
		long size = 1;
		for (int i = 1; i < outputShape.length; i++) {
			size *= outputShape[i];
		}
		this.featureSize = (int) size;
	}

	/**
	 * @param rank the rank the cut model's output must have, batch included: 2 for one
	 * feature vector per image, 4 for feature maps (height, width, channels)
	 */
	static KerasFeatureExtractor build(ModelGraphBuilder builder, ModelDefinition model, long[] inputShape, int rank) {
		Graph graph = new Graph();
		try {
			ModelGraphBuilder.Built built;
			try {
				built = builder.build(Ops.create(graph), model, INPUT, OUTPUT);
			}
			catch (IllegalArgumentException e) {
				throw new KerasImportException("TensorFlow rejected the cut graph: " + e.getMessage(), e);
			}
			Shape out = built.output().shape();
			boolean fixed = !out.isUnknown() && out.numDimensions() == rank;
			for (int i = 1; fixed && i < rank; i++) {
				fixed = out.size(i) >= 1;
			}
			if (!fixed) {
				throw new KerasImportException("The cut model outputs " + out + ", not "
						+ (rank == 2 ? "one feature vector per image; cut at a pooling or Flatten layer"
								: "a fixed " + (rank - 1) + "-dimensional feature map per image"));
			}
			for (int i = 1; i < inputShape.length; i++) {
				if (inputShape[i] < 0) {
					throw new KerasImportException(
							"The model's input shape " + Arrays.toString(inputShape) + " is not fixed");
				}
			}
			return new KerasFeatureExtractor(graph, new Session(graph), inputShape, out.asArray());
		}
		catch (RuntimeException e) {
			graph.close();
			throw e;
		}
	}

	/** Floats per image in the output: the length of its feature vector or map. */
	public int featureSize() {
		return featureSize;
	}

	/** The cut model's output shape, batch first (-1). */
	public long[] outputShape() {
		return outputShape.clone();
	}

	/** The model's input shape, batch first (-1). */
	public long[] inputShape() {
		return inputShape.clone();
	}

	/**
	 * Floats per image in the input: the product of the input shape without the batch.
	 */
	public int inputSize() {
		long n = 1;
		for (int i = 1; i < inputShape.length; i++) {
			n *= inputShape[i];
		}
		return (int) n;
	}

	/**
	 * Runs {@code count} images, laid out one after the other in {@code inputs} (NHWC),
	 * and returns their features as {@code count * featureSize()} floats.
	 */
	public float[] extract(float[] inputs, int count) {
		if (count < 1 || (long) count * inputSize() > inputs.length) {
			throw new IllegalArgumentException(count + " images do not fit in " + inputs.length + " floats");
		}
		long[] shape = inputShape.clone();
		shape[0] = count;
		float[] out = new float[count * featureSize];
		float[] batch = inputs.length == count * inputSize() ? inputs : Arrays.copyOf(inputs, count * inputSize());
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(batch, true, false));
				Result result = session.runner().feed(INPUT, in).fetch(OUTPUT).run()) {
			TFloat32 y = (TFloat32) result.get(0);
			y.copyTo(DataBuffers.of(out, false, false));
		}
		return out;
	}

	@Override
	public void close() {
		session.close();
		graph.close();
	}

}
