package org.mlpages.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where mlpages keeps its files and how much of a photo it accepts. Relative paths are
 * resolved against the working directory, so a clone runs as it is.
 */
@ConfigurationProperties("mlpages")
public record MlPagesProperties(@DefaultValue("models") Path modelsDir, @DefaultValue("uploads") Path uploadsDir,
		@DefaultValue("data") Path dataDir, @DefaultValue("data/cache") Path cacheDir, @DefaultValue Upload upload,
		@DefaultValue Image image) {

	/**
	 * Feeds Spring's multipart limits (see application.yml) and the messages that quote
	 * them.
	 *
	 * @param orphanAge how old a stored photo that no prediction row points at must be
	 * before it is removed: such a photo is left when the process dies between storing it
	 * and committing its row, and a younger one may still be waiting for its row's commit
	 */
	public record Upload(@DefaultValue("10MB") DataSize maxFileSize, @DefaultValue("11MB") DataSize maxRequestSize,
			@DefaultValue("2m") Duration orphanAge) {

		/** The limit as people read it: "10" for 10 MB. */
		public String maxFileSizeInMegabytes() {
			return new java.math.BigDecimal(maxFileSize.toBytes())
				.divide(java.math.BigDecimal.valueOf(1024 * 1024), 1, java.math.RoundingMode.HALF_UP)
				.stripTrailingZeros()
				.toPlainString();
		}

	}

	/**
	 * @param maxPixels the largest photo accepted, read from its header before decoding
	 * @param minSide the shortest side, in pixels, of a photo a model is asked about (or
	 * the model's input's, when smaller); a smaller photo is refused with a 422
	 * @param predictorPoolSize parallel predictors per model; 0 = one per core
	 * @param intraOpThreads threads TensorFlow may use inside one op of one prediction; 0
	 * leaves TensorFlow's choice (one per core). On a server the pool already runs one
	 * prediction per core, and predictions that each split their ops over every core
	 * mostly wait on each other: 1 gave about 45 % more predictions per second on 2 cores
	 * for a 5 % slower lone prediction (docs/benchmarks.md).
	 * @param interOpThreads TensorFlow's pool for independent ops of one prediction; 0
	 * leaves TensorFlow's choice, a negative value runs every op in the caller's thread
	 * @param backgroundLoading load the image models beside the rest of the start-up: the
	 * server answers sooner, and a model's page answers 503 until it is ready
	 * @param loadingWait how long a request for a model still loading at start-up waits
	 * for it before the 503
	 * @param batching how photos uploaded at the same time are predicted together
	 * @param inMemory how much of the heap the photos being classified may hold at once
	 * @param queue where uploaded photos wait for their turn
	 */
	public record Image(@DefaultValue("40000000") long maxPixels, @DefaultValue("32") int minSide,
			@DefaultValue("0") int predictorPoolSize, @DefaultValue("1") int intraOpThreads,
			@DefaultValue("0") int interOpThreads, @DefaultValue("true") boolean backgroundLoading,
			@DefaultValue("10s") Duration loadingWait, @DefaultValue Batching batching, @DefaultValue InMemory inMemory,
			@DefaultValue Queue queue) {

		/**
		 * One predictor per core unless configured: with one intra-op thread each, that
		 * keeps every core busy.
		 */
		public int effectivePoolSize() {
			return predictorPoolSize > 0 ? predictorPoolSize : Math.max(2, Runtime.getRuntime().availableProcessors());
		}

	}

	/**
	 * Micro-batching: photos waiting for a model go to it together, up to {@code maxSize}
	 * in one call, which costs less per photo than one call each (one TensorFlow call per
	 * batch; docs/benchmarks.md, "Photos under load").
	 *
	 * @param maxSize the most photos in one call; 1 switches batching off (each request
	 * predicts on its own thread, as before)
	 * @param maxWait how long a batch that is not full waits for photos being decoded at
	 * that moment; a photo with none behind it never waits
	 */
	public record Batching(@DefaultValue("8") int maxSize, @DefaultValue("3ms") Duration maxWait) {

		public Batching {
			if (maxSize < 1) {
				throw new IllegalArgumentException(
						"mlpages.image.batching.max-size must be at least 1, got " + maxSize);
			}
			if (maxWait.isNegative()) {
				throw new IllegalArgumentException("mlpages.image.batching.max-wait must not be negative");
			}
		}

		public boolean enabled() {
			return maxSize > 1;
		}

	}

	/**
	 * Photos uploaded to a model's page or API wait in a queue of their own for a worker,
	 * not in the server's request threads: however many photos arrive, those threads stay
	 * free for the other pages, the API and health. A full queue, or a photo that waited
	 * past {@code maxWait}, gets a 503 with {@code Retry-After}.
	 *
	 * @param workers photos being read, decoded, predicted and logged at once; enough to
	 * fill a batch for every predictor while the next ones are decoded
	 * @param capacity photos waiting for a worker; each holds its upload (in memory up to
	 * 256 KB, on disk above)
	 * @param maxWait how long a photo may wait for a worker
	 */
	public record Queue(@DefaultValue("32") int workers, @DefaultValue("200") int capacity,
			@DefaultValue("20s") Duration maxWait) {

		public Queue {
			if (workers < 1 || capacity < 1) {
				throw new IllegalArgumentException("mlpages.image.queue.workers and capacity must be at least 1");
			}
		}

	}

	/**
	 * Photos being classified hold their bytes, their decoded pixels and their tensor in
	 * the heap; with a hundred request threads and photos of up to
	 * {@code mlpages.upload.max-file-size} that could be far more than the heap the
	 * service is given. Beyond this budget a photo waits for others to finish, then gets
	 * a 503 with {@code Retry-After} ("busy, try again") rather than the service running
	 * out of memory.
	 *
	 * @param budget the bytes that photos in flight may hold at once (a photo larger than
	 * the whole budget is still taken, alone)
	 * @param maxWait how long a photo waits for room before the 503
	 */
	public record InMemory(@DefaultValue("48MB") DataSize budget, @DefaultValue("10s") Duration maxWait) {

		public InMemory {
			if (budget.toBytes() < 1) {
				throw new IllegalArgumentException("mlpages.image.in-memory.budget must be positive");
			}
			if (maxWait.isNegative()) {
				throw new IllegalArgumentException("mlpages.image.in-memory.max-wait must not be negative");
			}
		}

	}

}
