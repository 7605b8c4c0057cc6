package org.mlpages.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX Runtime's libraries copied into the cache folder once, as complete files, and
 * copied again only when what is there is not a complete copy.
 */
class OnnxRuntimeNativesTest {

	@Test
	void theLibrariesAreCopiedOnceAndKept(@TempDir Path cache) throws IOException {
		Path dir = OnnxRuntimeNatives.extract(cache);

		assertThat(dir.getParent()).isEqualTo(cache);
		assertThat(dir.getFileName().toString()).startsWith("onnxruntime-natives-");
		for (String lib : OnnxRuntimeNatives.LIBRARIES) {
			try (var in = getClass().getClassLoader().getResourceAsStream(OnnxRuntimeNatives.RESOURCE_DIR + lib)) {
				assertThat(Files.size(dir.resolve(lib)))
					.isEqualTo(in.transferTo(java.io.OutputStream.nullOutputStream()));
			}
		}
		FileTime before = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
		Files.setLastModifiedTime(dir.resolve("libonnxruntime.so"), before);

		assertThat(OnnxRuntimeNatives.extract(cache)).isEqualTo(dir);
		assertThat(Files.getLastModifiedTime(dir.resolve("libonnxruntime.so"))).as("not copied again")
			.isEqualTo(before);
		try (var entries = Files.list(cache)) {
			assertThat(entries).as("no temporary folder left").hasSize(1);
		}
	}

	@Test
	void aCopyCutShortIsReplaced(@TempDir Path cache) throws IOException {
		Path dir = OnnxRuntimeNatives.extract(cache);
		long size = Files.size(dir.resolve("libonnxruntime.so"));
		Files.write(dir.resolve("libonnxruntime.so"), new byte[1000]);

		assertThat(OnnxRuntimeNatives.extract(cache)).isEqualTo(dir);

		assertThat(Files.size(dir.resolve("libonnxruntime.so"))).isEqualTo(size);
	}

}
