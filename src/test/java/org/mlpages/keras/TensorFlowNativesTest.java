package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowNativesTest {

	@TempDir
	Path dir;

	@Test
	void extractsOnceAndPointsTheEngineAtTheDirectory() {
		Path natives = TensorFlowNatives.ensureLoaded(TestSupport.NATIVES_ROOT);
		assertThat(natives.getFileName().toString()).isEqualTo("tensorflow-natives-1.0.0");
		for (String lib : TensorFlowNatives.LIBRARIES) {
			assertThat(natives.resolve(lib)).isRegularFile();
		}
		assertThat(TensorFlowNatives.isComplete(natives)).isTrue();
		assertThat(System.getProperty("TENSORFLOW_LIBRARY_PATH")).isEqualTo(natives.toString());
		assertThat(System.getProperty("org.bytedeco.javacpp.platform.preloadpath")).isEqualTo(natives.toString());
		assertThat(System.getProperty("org.bytedeco.javacpp.pathsFirst")).isEqualTo("true");

		long start = System.nanoTime();
		assertThat(TensorFlowNatives.ensureLoaded(TestSupport.NATIVES_ROOT)).isEqualTo(natives);
		assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
	}

	@Test
	void versionComesFromTheNativeJarNotFromDjlsCopyOfThePom() {
		assertThat(TensorFlowNatives.nativeVersion(getClass().getClassLoader())).isEqualTo("1.0.0");
	}

	@Test
	void truncatedLibraryMakesTheDirectoryIncomplete() throws Exception {
		Path d = Files.createDirectories(dir.resolve("natives"));
		Properties sizes = new Properties();
		for (String lib : TensorFlowNatives.LIBRARIES) {
			Files.write(d.resolve(lib), new byte[10]);
			sizes.setProperty(lib, "10");
		}
		assertThat(TensorFlowNatives.isComplete(d)).isFalse();
		try (var out = Files.newOutputStream(d.resolve(TensorFlowNatives.MARKER))) {
			sizes.store(out, null);
		}
		assertThat(TensorFlowNatives.isComplete(d)).isTrue();
		Files.write(d.resolve(TensorFlowNatives.LIBRARIES.get(1)), new byte[5]);
		assertThat(TensorFlowNatives.isComplete(d)).isFalse();
	}

	@Test
	void losingTheRenameRaceToACompleteDirectoryIsSuccess() throws Exception {
		Path target = Files.createDirectories(dir.resolve("target"));
		Files.writeString(target.resolve("done"), "winner");
		Path tmp = Files.createDirectories(dir.resolve("tmp"));
		Files.writeString(tmp.resolve("done"), "loser");

		CacheDirectories.publish(tmp, target, d -> Files.exists(d.resolve("done")));
		assertThat(Files.readString(target.resolve("done"))).isEqualTo("winner");
	}

	@Test
	void incompleteLeftoverIsReplaced() throws Exception {
		Path target = Files.createDirectories(dir.resolve("target"));
		Files.writeString(target.resolve("partial"), "crashed");
		Path tmp = Files.createDirectories(dir.resolve("tmp"));
		Files.writeString(tmp.resolve("done"), "new");

		CacheDirectories.publish(tmp, target, d -> Files.exists(d.resolve("done")));
		assertThat(Files.readString(target.resolve("done"))).isEqualTo("new");
		assertThat(target.resolve("partial")).doesNotExist();
		try (var entries = Files.list(dir)) {
			assertThat(entries).containsExactly(target);
		}
	}

}
