package org.mlpages.keras;

import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Runs a converted model's SavedModel directly with TensorFlow Java, through its
 * {@code serving_default} signature: the same artefact DJL loads, without an engine
 * around it.
 */
public final class SavedModelRunner implements AutoCloseable {

	private final SavedModelBundle bundle;

	private final ImportedModel model;

	public SavedModelRunner(ImportedModel model) {
		this.model = model;
		this.bundle = SavedModelBundle.load(model.savedModelDir().toString(), "serve");
	}

	/** One batch in, the output tensor's shape and values out. */
	public Npy.Array run(long[] shape, float[] values) {
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
				Result result = bundle.function("serving_default").call(Map.of(model.inputKey(), in))) {
			Tensor t = result.get(model.outputKey())
				.orElseThrow(() -> new IllegalStateException("The SavedModel has no output " + model.outputKey()));
			TFloat32 y = (TFloat32) t;
			float[] out = new float[(int) y.shape().size()];
			y.copyTo(DataBuffers.of(out, false, false));
			double[] d = new double[out.length];
			for (int i = 0; i < d.length; i++) {
				d[i] = out[i];
			}
			return new Npy.Array(y.shape().asArray(), d);
		}
	}

	@Override
	public void close() {
		bundle.close();
	}

}
