package org.mlpages.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.unit.DataSize;

/**
 * {@link MlPagesProperties} for tests that build the app's parts without Spring: the
 * defaults of {@code application.yml} but for the settings each test names, so that a new
 * setting is added here once rather than in every such test.
 */
public final class TestProperties {

	private TestProperties() {
	}

	/** The upload limits the app runs with by default. */
	public static MlPagesProperties.Upload upload() {
		return new MlPagesProperties.Upload(DataSize.ofMegabytes(10), DataSize.ofMegabytes(11), Duration.ofMinutes(2));
	}

	/** The default image settings but for these (inter-op threads: TensorFlow's). */
	public static MlPagesProperties.Image image(int predictorPoolSize, int intraOpThreads, boolean backgroundLoading,
			Duration loadingWait) {
		return new MlPagesProperties.Image(40_000_000, 32, predictorPoolSize, intraOpThreads, 0, backgroundLoading,
				loadingWait, batching(), inMemory(), queue());
	}

	/** The photo queue as it ships. */
	public static MlPagesProperties.Queue queue() {
		return new MlPagesProperties.Queue(32, 200, Duration.ofSeconds(20));
	}

	/** The heap budget for photos in flight as it ships. */
	public static MlPagesProperties.InMemory inMemory() {
		return new MlPagesProperties.InMemory(DataSize.ofMegabytes(48), Duration.ofSeconds(10));
	}

	/** Micro-batching as it ships. */
	public static MlPagesProperties.Batching batching() {
		return new MlPagesProperties.Batching(8, Duration.ofMillis(3));
	}

	/**
	 * The shipped models ({@code models/}), loaded on the caller's thread, with uploads,
	 * data and the natives' cache under {@code cache}.
	 */
	public static MlPagesProperties shippedModels(Path cache, int predictorPoolSize, int intraOpThreads) {
		return new MlPagesProperties(Path.of("models"), cache.resolve("uploads"), cache.resolve("data"), cache,
				upload(), image(predictorPoolSize, intraOpThreads, false, Duration.ofSeconds(10)));
	}

}
