package org.mlpages.credit.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stratified k-fold assignment: every fold gets the same share of each class (±1 row).
 * Tribuo's CrossValidation and TrainTestSplitter are not stratified; with 300 "bad" rows
 * out of 1000, unstratified folds of 100 vary enough in their bad share to move the fold
 * metrics and, more importantly, the cost.
 */
final class StratifiedFolds {

	private StratifiedFolds() {
	}

	/**
	 * @param labels one class name per row
	 * @param k number of folds, 2..rows
	 * @param seed shuffling seed: same labels and seed, same folds
	 * @return the fold (0..k-1) of each row
	 */
	static int[] assign(List<String> labels, int k, long seed) {
		if (k < 2 || k > labels.size()) {
			throw new IllegalArgumentException("k = " + k + " for " + labels.size() + " rows");
		}
		// classes in sorted order so the result does not depend on which class comes
		// first in the file
		List<String> classes = labels.stream().distinct().sorted().toList();
		Random random = new Random(seed);
		int[] fold = new int[labels.size()];
		int next = 0; // continue dealing where the previous class stopped so fold sizes
						// stay within 1
		for (String cls : classes) {
			List<Integer> rows = new ArrayList<>();
			for (int i = 0; i < labels.size(); i++) {
				if (labels.get(i).equals(cls)) {
					rows.add(i);
				}
			}
			Collections.shuffle(rows, random);
			for (int row : rows) {
				fold[row] = next;
				next = (next + 1) % k;
			}
		}
		return fold;
	}

}
