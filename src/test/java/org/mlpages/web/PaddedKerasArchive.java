package org.mlpages.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A real {@code .keras} archive made larger than the server's limit for forms: Keras
 * archives may carry files under {@code assets/} (a text layer's vocabulary, say), which
 * the importer does not read; random bytes there do not compress away.
 */
final class PaddedKerasArchive {

	private PaddedKerasArchive() {
	}

	static Path write(Path archive, int paddingBytes, Path target) throws IOException {
		Files.createDirectories(target.getParent());
		try (ZipFile in = new ZipFile(archive.toFile());
				OutputStream file = Files.newOutputStream(target);
				ZipOutputStream out = new ZipOutputStream(file)) {
			for (ZipEntry entry : in.stream().toList()) {
				out.putNextEntry(new ZipEntry(entry.getName()));
				in.getInputStream(entry).transferTo(out);
				out.closeEntry();
			}
			byte[] padding = new byte[paddingBytes];
			new Random(17).nextBytes(padding);
			out.putNextEntry(new ZipEntry("assets/padding.bin"));
			out.write(padding);
			out.closeEntry();
		}
		return target;
	}

}
