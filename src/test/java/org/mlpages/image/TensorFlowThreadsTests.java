package org.mlpages.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.mlpages.system.MlPagesProperties;
import org.mlpages.system.TestProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mlpages.image.intra-op-threads} reaches TensorFlow: its native threads take the
 * name of the Java thread that started them, so a model loaded from a thread with a name
 * of its own shows how many threads TensorFlow made for it. TensorFlow sizes its pools
 * once per process, hence one fresh JVM per setting.
 */
@EnabledOnOs(OS.LINUX)
class TensorFlowThreadsTests {

	private static final String THREAD = "tf-threads-probe";

	@Test
	void theIntraOpSettingSizesTensorFlowsPool() throws Exception {
		int withOne = nativeThreads(1);
		int withThree = nativeThreads(3);
		// the intra-op pool is the only difference between the two processes
		assertThat(withThree - withOne).isEqualTo(2);
	}

	private static int nativeThreads(int intraOpThreads) throws Exception {
		Path cache = Path.of("target/test-cache").toAbsolutePath();
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), Probe.class.getName(), Integer.toString(intraOpThreads),
				cache.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		String last = output.lines().filter(line -> line.startsWith("threads=")).reduce((a, b) -> b).orElseThrow();
		return Integer.parseInt(last.substring("threads=".length()));
	}

	/** Loads the shipped model from a named thread and counts that name's threads. */
	static final class Probe {

		public static void main(String[] args) throws Exception {
			Path cache = Path.of(args[1]);
			MlPagesProperties properties = TestProperties.shippedModels(cache, 2, Integer.parseInt(args[0]));
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread thread = new Thread(() -> {
				try (ImageModel model = new ImageModelLoader(properties).load("cat_dog_model",
						Path.of("models/cat_dog_model.h5"), Path.of("models/cat_dog_model.yml"))) {
					var input = model.preprocessor().preprocessing();
					model.predict(FlatPhotos.split(new float[2 * input.width() * input.height() * 3], 2, input.height(),
							input.width()));
					System.out.println("threads=" + threadsNamed(THREAD.substring(0, 15)));
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			}, THREAD);
			thread.start();
			thread.join();
			if (failure.get() != null) {
				// the parent test reads this JVM's stderr
				failure.get().printStackTrace(System.err);
				System.exit(1);
			}
			System.exit(0);
		}

		private static int threadsNamed(String name) throws Exception {
			List<String> names = new ArrayList<>();
			try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
				for (Path task : tasks.toList()) {
					names.add(Files.readString(task.resolve("comm")).trim());
				}
			}
			return (int) names.stream().filter(name::equals).count();
		}

	}

}
