package org.mlpages.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * A model of {@code models/} loaded as the app loads it, without the app: two predictors
 * of one TensorFlow thread each, the tests' cache, the micro-batching asked for.
 */
final class ShippedImageModels {

	private ShippedImageModels() {
	}

	static ImageModel load(String name, MlPagesProperties.Batching batching, MeterRegistry registry) throws Exception {
		Path cache = Path.of("target/test-cache").toAbsolutePath();
		MlPagesProperties shipped = TestProperties.shippedModels(cache, 2, 1);
		MlPagesProperties properties = new MlPagesProperties(shipped.modelsDir(), shipped.uploadsDir(),
				shipped.dataDir(), shipped.cacheDir(), shipped.upload(),
				new MlPagesProperties.Image(40_000_000, 32, 2, 1, 0, false, Duration.ofSeconds(10), batching,
						TestProperties.inMemory(), TestProperties.queue()));
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("registry", registry));
		return new ImageModelLoader(properties, beans.getBeanProvider(MeterRegistry.class)).load(name,
				Path.of("models", name + ".h5"), Path.of("models", name + ".yml"));
	}

}
