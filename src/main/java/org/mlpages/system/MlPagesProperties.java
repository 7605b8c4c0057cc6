package org.mlpages.system;

import java.nio.file.Path;

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
	 */
	public record Upload(@DefaultValue("10MB") DataSize maxFileSize, @DefaultValue("11MB") DataSize maxRequestSize) {

		/** The limit as people read it: "10" for 10 MB. */
		public String maxFileSizeInMegabytes() {
			return new java.math.BigDecimal(maxFileSize.toBytes())
				.divide(java.math.BigDecimal.valueOf(1024 * 1024), 1, java.math.RoundingMode.HALF_UP)
				.stripTrailingZeros()
				.toPlainString();
		}

	}

	public record Image(@DefaultValue("40000000") long maxPixels, @DefaultValue("0") int predictorPoolSize) {

		/**
		 * One predictor per core unless configured: TensorFlow already spreads one call
		 * over the cores.
		 */
		public int effectivePoolSize() {
			return predictorPoolSize > 0 ? predictorPoolSize : Math.max(2, Runtime.getRuntime().availableProcessors());
		}

	}

}
