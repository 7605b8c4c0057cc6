package org.mlpages.bench;

import java.util.concurrent.TimeUnit;

import ai.djl.translate.TranslateException;
import org.mlpages.image.ImageModel;
import org.mlpages.image.PhotoBatch;
import org.mlpages.image.photo.PhotoDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One uploaded photo's bytes through what {@code ImageClassificationService.classify}
 * does before storing and logging: decode (format sniffing, EXIF, limits), centre-crop +
 * resize to 224x224 + scale, predict a batch of one. Run by {@link InferenceBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PhotoPipelineInProcessBenchmark {

	private ImageModel model;

	private byte[] photo;

	private final PhotoDecoder decoder = new PhotoDecoder(PhotoDecoder.DEFAULT_MAX_PIXELS);

	@Setup(Level.Trial)
	public void load() {
		model = BenchSupport.loadShippedModel();
		photo = BenchSupport.photo(BenchSupport.PHOTO);
	}

	@TearDown(Level.Trial)
	public void close() {
		model.close();
	}

	@Benchmark
	public float[][] decodePreprocessPredict() throws TranslateException {
		float[] tensor = model.preprocessor().toTensor(decoder.decode(photo));
		var input = model.preprocessor().preprocessing();
		return model.predict(PhotoBatch.of(tensor, input.height(), input.width()));
	}

	@Benchmark
	public float[] decodePreprocess() {
		return model.preprocessor().toTensor(decoder.decode(photo));
	}

}
