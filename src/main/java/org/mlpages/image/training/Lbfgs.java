package org.mlpages.image.training;

import java.util.function.BooleanSupplier;

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search: enough for smooth convex
 * losses.
 */
final class Lbfgs {

	interface Function {

		/** Returns f(x) and writes its gradient into {@code grad}. */
		double valueAndGradient(double[] x, double[] grad);

	}

	record Result(double[] x, double value, int iterations) {
	}

	private Lbfgs() {
	}

	static Result minimise(Function f, double[] start, int maxIterations, int memory, BooleanSupplier cancelled) {
		int n = start.length;
		double[] x = start.clone();
		double[] g = new double[n];
		double fx = f.valueAndGradient(x, g);
		double[][] s = new double[memory][];
		double[][] y = new double[memory][];
		double[] rho = new double[memory];
		int stored = 0;
		int next = 0;
		double[] alpha = new double[memory];
		int it = 0;
		while (it < maxIterations) {
			if (cancelled.getAsBoolean()) {
				throw new TrainingCancelledException();
			}
			if (norm(g) < 1e-7) {
				break;
			}
			// two-loop recursion: direction = -H g
			double[] q = g.clone();
			for (int m = 0; m < stored; m++) {
				int idx = Math.floorMod(next - 1 - m, memory);
				alpha[idx] = rho[idx] * dot(s[idx], q);
				axpy(-alpha[idx], y[idx], q);
			}
			if (stored > 0) {
				int last = Math.floorMod(next - 1, memory);
				double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
				scale(q, gamma);
			}
			else {
				scale(q, 1 / Math.max(1, norm(g)));
			}
			for (int m = stored - 1; m >= 0; m--) {
				int idx = Math.floorMod(next - 1 - m, memory);
				double beta = rho[idx] * dot(y[idx], q);
				axpy(alpha[idx] - beta, s[idx], q);
			}
			double[] dir = q;
			scale(dir, -1);
			double slope = dot(g, dir);
			if (slope >= 0) {
				// not a descent direction (numerical trouble): restart from steepest
				// descent
				stored = 0;
				dir = g.clone();
				scale(dir, -1 / Math.max(1, norm(g)));
				slope = dot(g, dir);
			}
			double step = 1;
			double[] xNew = new double[n];
			double[] gNew = new double[n];
			double fNew;
			int tries = 0;
			while (true) {
				for (int i = 0; i < n; i++) {
					xNew[i] = x[i] + step * dir[i];
				}
				fNew = f.valueAndGradient(xNew, gNew);
				if (fNew <= fx + 1e-4 * step * slope || ++tries > 40) {
					break;
				}
				step *= 0.5;
			}
			it++;
			double[] sk = new double[n];
			double[] yk = new double[n];
			for (int i = 0; i < n; i++) {
				sk[i] = xNew[i] - x[i];
				yk[i] = gNew[i] - g[i];
			}
			double sy = dot(sk, yk);
			if (sy > 1e-12) {
				s[next] = sk;
				y[next] = yk;
				rho[next] = 1 / sy;
				next = (next + 1) % memory;
				stored = Math.min(stored + 1, memory);
			}
			boolean flat = Math.abs(fx - fNew) <= 1e-10 * Math.max(1, Math.abs(fx));
			x = xNew;
			g = gNew;
			fx = fNew;
			if (flat) {
				break;
			}
		}
		return new Result(x, fx, it);
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) {
			s += a[i] * b[i];
		}
		return s;
	}

	private static double norm(double[] a) {
		return Math.sqrt(dot(a, a));
	}

	private static void axpy(double a, double[] x, double[] y) {
		for (int i = 0; i < x.length; i++) {
			y[i] += a * x[i];
		}
	}

	private static void scale(double[] a, double f) {
		for (int i = 0; i < a.length; i++) {
			a[i] *= f;
		}
	}

}
