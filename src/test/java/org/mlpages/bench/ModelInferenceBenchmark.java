package org.mlpages.bench;

import java.util.concurrent.TimeUnit;

import ai.djl.translate.TranslateException;
import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The shipped model alone: one call of {@link ImageModel#predict} on a batch of
 * {@code batch} copies of one real photo's 224x224x3 tensor (decoded and preprocessed
 * once, outside the measurement). Per-photo time is the score divided by the batch.
 * Iterations and forks are set by {@link InferenceBenchmarks}, which runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ModelInferenceBenchmark {

	@Param({ "1", "8", "16" })
	public int batch;

	private ImageModel model;

	private PhotoBatch input;

	@Setup(Level.Trial)
	public void load() {
		model = BenchSupport.loadShippedModel();
		input = BenchSupport.batchOf(model, BenchSupport.photo(BenchSupport.PHOTO), batch);
	}

	@TearDown(Level.Trial)
	public void close() {
		model.close();
	}

	@Benchmark
	public float[][] predict() throws TranslateException {
		return model.predict(input);
	}

}
