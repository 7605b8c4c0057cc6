package org.mlpages.system;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CleanFileMappingsTests {

	private static final String LIB = "/cache/tensorflow-natives-1.0.0/libtensorflow_cc.so.2";

	@Test
	void onlyReadOnlyMappingsWithNoWrittenPageOfTheChosenFilesAreReleasable() {
		List<String> smaps = List.of(
				// the library's code: read-only, never written
				"7f0000000000-7f0000100000 r-xp 00001000 08:01 42 " + LIB, "Rss:                 512 kB",
				"Anonymous:             0 kB",
				// relocated when loaded (RELRO): read-only now, but with private copies
				"7f0000100000-7f0000110000 r--p 00101000 08:01 42 " + LIB, "Rss:                  64 kB",
				"Anonymous:            64 kB",
				// its data: writable
				"7f0000110000-7f0000120000 rw-p 00111000 08:01 42 " + LIB, "Rss:                  16 kB",
				"Anonymous:             0 kB",
				// another library, and anonymous memory
				"7f0000200000-7f0000300000 r-xp 00000000 08:01 43 /usr/lib/libc.so.6", "Rss:                 100 kB",
				"Anonymous:             0 kB", "7f0000300000-7f0000400000 rw-p 00000000 00:00 0 ",
				"Rss:                 100 kB", "Anonymous:           100 kB");

		List<CleanFileMappings.Mapping> clean = CleanFileMappings.parse(smaps, TensorFlowCodeRelease::isTensorFlow);

		assertThat(clean).containsExactly(new CleanFileMappings.Mapping(0x7f0000000000L, 0x100000, LIB, 512 * 1024));
	}

	@Test
	void aReleasedMappingLeavesResidentMemoryAndStillReadsTheFilesBytes(@TempDir Path dir) throws IOException {
		assumeTrue(CleanFileMappings.supported(), "Linux only");
		byte[] bytes = new byte[4 << 20];
		new Random(16).nextBytes(bytes);
		Path file = Files.write(dir.resolve("weights.bin"), bytes);
		String path = file.toRealPath().toString();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length);
			mapped.load();
			CleanFileMappings.Mapping mapping = single(path);
			assertThat(mapping.residentBytes()).as("resident once read").isEqualTo(bytes.length);

			assertThat(CleanFileMappings.release(mapping)).isTrue();

			assertThat(single(path).residentBytes()).as("resident after the release").isZero();
			byte[] read = new byte[bytes.length];
			mapped.get(0, read);
			assertThat(read).as("the same bytes, read again from the file").isEqualTo(bytes);
		}
	}

	@Test
	void tensorFlowsLibrariesAreTheOnesReleased() {
		assertThat(TensorFlowCodeRelease.isTensorFlow(LIB)).isTrue();
		assertThat(TensorFlowCodeRelease.isTensorFlow("/cache/natives/libtensorflow_framework.so.2")).isTrue();
		assertThat(TensorFlowCodeRelease.isTensorFlow("/cache/natives/libjnitensorflow.so")).isTrue();
		assertThat(TensorFlowCodeRelease.isTensorFlow("/usr/lib/jvm/lib/server/libjvm.so")).isFalse();
		assertThat(TensorFlowCodeRelease.isTensorFlow("/srv/models/tensorflow/app.aot")).isFalse();
	}

	private static CleanFileMappings.Mapping single(String path) throws IOException {
		List<CleanFileMappings.Mapping> mappings = CleanFileMappings.ofThisProcess(path::equals);
		assertThat(mappings).hasSize(1);
		return mappings.get(0);
	}

}
