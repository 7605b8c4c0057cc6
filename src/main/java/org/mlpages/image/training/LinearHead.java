package org.mlpages.image.training;

/**
 * A softmax classification head: {@code softmax(features · kernel + bias)}, with the
 * kernel laid out as Keras's Dense layer stores it ([features][classes]), so it is
 * written to the .h5 as it is.
 */
public record LinearHead(float[][] kernel, float[] bias) {

	public LinearHead {
		if (kernel.length == 0 || bias.length < 2) {
			throw new IllegalArgumentException("a head needs features and at least two classes");
		}
		for (float[] row : kernel) {
			if (row.length != bias.length) {
				throw new IllegalArgumentException("kernel rows must have one weight per class");
			}
		}
	}

	public int features() {
		return kernel.length;
	}

	public int classes() {
		return bias.length;
	}

	/**
	 * Class probabilities for one feature vector taken from {@code features[offset ..]},
	 * computed in double.
	 */
	public double[] probabilities(float[] features, int offset) {
		int k = bias.length;
		double[] z = new double[k];
		for (int c = 0; c < k; c++) {
			z[c] = bias[c];
		}
		for (int j = 0; j < kernel.length; j++) {
			double x = features[offset + j];
			if (x == 0) {
				continue;
			}
			float[] row = kernel[j];
			for (int c = 0; c < k; c++) {
				z[c] += x * row[c];
			}
		}
		return softmax(z);
	}

	static double[] softmax(double[] z) {
		double max = Double.NEGATIVE_INFINITY;
		for (double v : z) {
			max = Math.max(max, v);
		}
		double sum = 0;
		double[] p = new double[z.length];
		for (int c = 0; c < z.length; c++) {
			p[c] = Math.exp(z[c] - max);
			sum += p[c];
		}
		for (int c = 0; c < z.length; c++) {
			p[c] /= sum;
		}
		return p;
	}

	/** The most probable class of one feature vector. */
	public int predict(float[] features, int offset) {
		double[] p = probabilities(features, offset);
		int best = 0;
		for (int c = 1; c < p.length; c++) {
			if (p[c] > p[best]) {
				best = c;
			}
		}
		return best;
	}
}
