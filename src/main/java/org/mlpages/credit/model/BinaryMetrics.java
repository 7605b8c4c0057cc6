package org.mlpages.credit.model;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Metrics for the good/bad decision computed from P(good) scores, and the cost matrix of
 * the data set: granting a bad applicant costs {@value #COST_GRANTED_BAD}, refusing a
 * good one {@value #COST_REFUSED_GOOD}. Written out rather than taken from Tribuo's
 * LabelEvaluator because the threshold and the cost are not Tribuo notions, and the same
 * code must score folds and the pooled out-of-fold predictions.
 */
final class BinaryMetrics {

	static final int COST_GRANTED_BAD = 5;
	static final int COST_REFUSED_GOOD = 1;

	/**
	 * The Bayes threshold for calibrated probabilities: grant iff 1·P(good) > 5·P(bad),
	 * i.e. P(good) > 5/6.
	 */
	static final double BAYES_THRESHOLD = (double) COST_GRANTED_BAD / (COST_GRANTED_BAD + COST_REFUSED_GOOD);

	private BinaryMetrics() {
	}

	/** Counts of one decision rule. "Positive" is "good", i.e. granted. */
	record Confusion(int goodGranted, int goodRefused, int badGranted, int badRefused) {
		int total() {
			return goodGranted + goodRefused + badGranted + badRefused;
		}

		double accuracy() {
			return (double) (goodGranted + badRefused) / total();
		}

		int cost() {
			return COST_GRANTED_BAD * badGranted + COST_REFUSED_GOOD * goodRefused;
		}
	}

	/** The decisions "grant iff P(good) >= threshold" against the truth. */
	static Confusion confusion(double[] pGood, boolean[] isGood, double threshold) {
		int gg = 0;
		int gr = 0;
		int bg = 0;
		int br = 0;
		for (int i = 0; i < pGood.length; i++) {
			boolean granted = pGood[i] >= threshold;
			if (isGood[i] && granted) {
				gg++;
			}
			else if (isGood[i]) {
				gr++;
			}
			else if (granted) {
				bg++;
			}
			else {
				br++;
			}
		}
		return new Confusion(gg, gr, bg, br);
	}

	/** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted as half. */
	static double auc(double[] pGood, boolean[] isGood) {
		int n = pGood.length;
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		Arrays.sort(order, Comparator.comparingDouble(i -> pGood[i]));
		double rankSumGood = 0;
		long good = 0;
		for (int start = 0; start < n;) {
			int end = start;
			while (end + 1 < n && pGood[order[end + 1]] == pGood[order[start]]) {
				end++;
			}
			double averageRank = (start + end) / 2.0 + 1; // ranks are 1-based
			for (int j = start; j <= end; j++) {
				if (isGood[order[j]]) {
					rankSumGood += averageRank;
					good++;
				}
			}
			start = end + 1;
		}
		long bad = n - good;
		if (good == 0 || bad == 0) {
			return Double.NaN;
		}
		return (rankSumGood - good * (good + 1) / 2.0) / ((double) good * bad);
	}

	/**
	 * The threshold on P(good), among 0.01, 0.02, ..., 0.99, with the lowest total cost
	 * on these predictions. A 0.01 grid rather than every distinct score: it cannot
	 * over-fit to single applicants and reads well. Ties go to the candidate nearest the
	 * Bayes threshold 5/6.
	 */
	static double bestThreshold(double[] pGood, boolean[] isGood) {
		double best = Double.NaN;
		int bestCost = Integer.MAX_VALUE;
		for (int step = 1; step <= 99; step++) {
			double t = step / 100.0;
			int cost = confusion(pGood, isGood, t).cost();
			if (cost < bestCost
					|| cost == bestCost && Math.abs(t - BAYES_THRESHOLD) < Math.abs(best - BAYES_THRESHOLD)) {
				bestCost = cost;
				best = t;
			}
		}
		return best;
	}

}
