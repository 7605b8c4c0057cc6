package org.mlpages.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mlpages.keras.TensorFlowNatives;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The same Keras model converted twice (two builds of the converter, each by the jar's
 * {@code convert} command: bench/conversion-ab.sh), run side by side in this one JVM: for
 * each batch size, rounds of the same inputs through A then B (B then A every other
 * round), the process's CPU time per photo of each, and the largest difference between
 * their answers, which a change of the converter's must keep at rounding's size. One
 * TensorFlow thread per call, as the app runs its predictors; nothing else runs here.
 * <p>
 * Arguments: {@code DIR_A DIR_B}; {@code -Dab.batches=8,1}, {@code -Dab.rounds=10},
 * {@code -Dab.photos=480} per measurement, {@code -Dab.size=224}.
 */
public final class ConversionComparison {

	private ConversionComparison() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: ConversionComparison SAVED_MODEL_A SAVED_MODEL_B");
			System.exit(64);
		}
		TensorFlowNatives.ensureLoaded(BenchSupport.cacheDir());
		int rounds = Integer.getInteger("ab.rounds", 10);
		int photos = Integer.getInteger("ab.photos", 480);
		int size = Integer.getInteger("ab.size", 224);
		int[] batches = Arrays.stream(System.getProperty("ab.batches", "8,1").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		ConfigProto oneThread = ConfigProto.newBuilder()
			.setIntraOpParallelismThreads(1)
			.setInterOpParallelismThreads(1)
			.build();
		List<String> rows = new ArrayList<>();
		try (SavedModelBundle a = SavedModelBundle.loader(args[0]).withTags("serve").withConfigProto(oneThread).load();
				SavedModelBundle b = SavedModelBundle.loader(args[1])
					.withTags("serve")
					.withConfigProto(oneThread)
					.load()) {
			SavedModelBundle[] models = { a, b };
			for (int batch : batches) {
				float[] input = inputs(batch, size);
				double difference = largestDifference(a, b, batch, size, input);
				for (int warm = 0; warm < 2; warm++) {
					for (SavedModelBundle m : models) {
						predict(m, batch, size, input, Math.max(1, 160 / batch));
					}
				}
				int calls = Math.max(1, photos / batch);
				double[][] cpu = new double[2][rounds];
				int bCheaper = 0;
				for (int round = 0; round < rounds; round++) {
					int[] order = round % 2 == 0 ? new int[] { 0, 1 } : new int[] { 1, 0 };
					for (int k : order) {
						long before = BenchSupport.ownCpuNanos();
						predict(models[k], batch, size, input, calls);
						cpu[k][round] = (BenchSupport.ownCpuNanos() - before) / 1e6 / ((double) calls * batch);
					}
					bCheaper += cpu[1][round] < cpu[0][round] ? 1 : 0;
					System.out.printf("batch %d, round %d: A %.2f, B %.2f CPU ms per photo%n", batch, round + 1,
							cpu[0][round], cpu[1][round]);
				}
				double medianA = BenchSupport.median(cpu[0]);
				double medianB = BenchSupport.median(cpu[1]);
				rows.add(String.format("| %d | %.2f | %.2f | %.3f | %d of %d | %.2g |", batch, medianA, medianB,
						medianB / medianA, bCheaper, rounds, difference));
			}
		}
		System.out.println();
		System.out.println("A: " + args[0] + "; B: " + args[1] + "; " + rounds + " rounds of " + photos
				+ " photos a side, alternating; load " + BenchSupport.load());
		System.out.println();
		System.out.println("| batch | A: CPU ms per photo (median) | B | B / A | rounds where B was cheaper | "
				+ "largest difference between their answers |");
		System.out.println("|---:|---:|---:|---:|---|---:|");
		rows.forEach(System.out::println);
	}

	/**
	 * Values in [-1, 1], as the shipped models' preprocessing gives them; the same each
	 * run.
	 */
	private static float[] inputs(int batch, int size) {
		Random random = new Random(16);
		float[] values = new float[batch * size * size * 3];
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextFloat() * 2 - 1;
		}
		return values;
	}

	private static void predict(SavedModelBundle model, int batch, int size, float[] input, int calls) {
		for (int i = 0; i < calls; i++) {
			answer(model, batch, size, input);
		}
	}

	private static float[] answer(SavedModelBundle model, int batch, int size, float[] input) {
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch, size, size, 3), DataBuffers.of(input, true, false));
				Result result = model.function("serving_default").call(Map.of("input", in))) {
			TFloat32 out = (TFloat32) result.get("output").orElseThrow();
			float[] values = new float[(int) out.shape().size()];
			out.copyTo(DataBuffers.of(values, false, false));
			return values;
		}
	}

	private static double largestDifference(SavedModelBundle a, SavedModelBundle b, int batch, int size,
			float[] input) {
		float[] x = answer(a, batch, size, input);
		float[] y = answer(b, batch, size, input);
		if (x.length != y.length) {
			throw new IllegalStateException("A answers " + x.length + " values, B " + y.length);
		}
		double largest = 0;
		for (int i = 0; i < x.length; i++) {
			largest = Math.max(largest, Math.abs(x[i] - y[i]));
		}
		return largest;
	}

}
