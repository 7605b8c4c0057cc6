package org.mlpages.image.training;

import java.util.List;
import java.util.Locale;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The same softmax head trained by Tribuo's linear SGD (logistic loss, AdaGrad), kept to
 * compare against {@link SoftmaxRegression}: both see the same standardised features and
 * both return a {@link LinearHead} with the standardisation folded in.
 */
public final class TribuoSgdHead {

	private final int epochs;

	private final long seed;

	public TribuoSgdHead(int epochs, long seed) {
		this.epochs = epochs;
		this.seed = seed;
	}

	public LinearHead fit(Features data, List<String> classes) {
		int n = data.size();
		int d = data.dimension();
		FeatureScaling scaling = FeatureScaling.of(data);
		double[] mean = scaling.mean();
		double[] inv = scaling.inverseSd();
		float[] raw = data.values();
		String[] names = new String[d];
		for (int j = 0; j < d; j++) {
			// zero-padded, so Tribuo's sorted feature map keeps the vector's order
			names[j] = String.format(Locale.ROOT, "f%05d", j);
		}
		MutableDataset<Label> dataset = new MutableDataset<>(
				new SimpleDataSourceProvenance("image features", new LabelFactory()), new LabelFactory());
		for (int i = 0; i < n; i++) {
			double[] v = new double[d];
			for (int j = 0; j < d; j++) {
				v[j] = (raw[i * d + j] - mean[j]) * inv[j];
			}
			dataset.add(new ArrayExample<>(new Label(classes.get(data.labels()[i])), names, v));
		}
		LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), epochs, seed);
		LinearSGDModel model = trainer.train(dataset);
		DenseMatrix w = model.getWeightsCopy();
		int biasColumn = w.getDimension2Size() - 1;
		float[][] kernel = new float[d][classes.size()];
		float[] bias = new float[classes.size()];
		for (int c = 0; c < classes.size(); c++) {
			int row = model.getOutputIDInfo().getID(new Label(classes.get(c)));
			double b = row < 0 ? 0 : w.get(row, biasColumn);
			for (int j = 0; j < d; j++) {
				int id = model.getFeatureIDMap().getID(names[j]);
				double wj = row < 0 || id < 0 ? 0 : w.get(row, id) * inv[j];
				kernel[j][c] = (float) wj;
				b -= wj * mean[j];
			}
			bias[c] = (float) b;
		}
		return new LinearHead(kernel, bias);
	}

}
