package org.mlpages.image.training;

/**
 * Each feature's mean and inverse standard deviation over a data set, so that the heads
 * train on standardised features and fold the scaling back into their weights. A feature
 * constant over the data set carries nothing: its inverse is 0 rather than a division by
 * about 0.
 */
record FeatureScaling(double[] mean, double[] inverseSd) {

	static FeatureScaling of(Features data) {
		int n = data.size();
		int d = data.dimension();
		float[] raw = data.values();
		double[] mean = new double[d];
		double[] inverseSd = new double[d];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < d; j++) {
				mean[j] += raw[i * d + j];
			}
		}
		for (int j = 0; j < d; j++) {
			mean[j] /= n;
		}
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < d; j++) {
				double v = raw[i * d + j] - mean[j];
				inverseSd[j] += v * v;
			}
		}
		for (int j = 0; j < d; j++) {
			double sd = Math.sqrt(inverseSd[j] / n);
			inverseSd[j] = sd > 1e-6 ? 1 / sd : 0;
		}
		return new FeatureScaling(mean, inverseSd);
	}

}
