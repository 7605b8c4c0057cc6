package org.mlpages.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where mlpages keeps its files and how much of a photo it accepts. Relative paths are resolved
 * against the working directory, so a clone runs as it is.
 */
@ConfigurationProperties("mlpages")
public record MlPagesProperties(@DefaultValue("models") Path modelsDir, @DefaultValue("uploads") Path uploadsDir,
		@DefaultValue("data/cache") Path cacheDir, @DefaultValue Image image) {

	public record Image(@DefaultValue("40000000") long maxPixels, @DefaultValue("0") int predictorPoolSize) {

		/** One predictor per core unless configured: TensorFlow already spreads one call over the cores. */
		public int effectivePoolSize() {
			return predictorPoolSize > 0 ? predictorPoolSize : Math.max(2, Runtime.getRuntime().availableProcessors());
		}

	}

}
