package org.mlpages.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.mlpages.system.MlPagesProperties;

import org.springframework.stereotype.Component;

/**
 * Keeps uploaded photos under the uploads folder with names the app makes up (a UUID and
 * the extension of the format found in the content), so nothing a client sends decides
 * where a file goes.
 */
@Component
class UploadStore {

	private static final Map<String, String> EXTENSIONS = Map.of("jpeg", "jpg", "png", "png", "gif", "gif", "bmp",
			"bmp", "webp", "webp", "tiff", "tif");

	private static final Pattern STORED_NAME = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(jpg|png|gif|bmp|webp|tif)");

	private final Path dir;

	UploadStore(MlPagesProperties properties) throws IOException {
		this.dir = properties.uploadsDir().toAbsolutePath().normalize();
		Files.createDirectories(dir);
	}

	/** Writes the photo and returns its stored name. */
	String save(byte[] bytes, String format) throws IOException {
		String name = UUID.randomUUID() + "." + EXTENSIONS.getOrDefault(format, "bin");
		Path partial = Files.createTempFile(dir, ".upload-", ".part");
		try {
			Files.write(partial, bytes);
			Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(partial);
		}
		return name;
	}

	void delete(String storedName) {
		find(storedName).ifPresent(file -> {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// a stray upload costs disk, not correctness
			}
		});
	}

	/** The stored file for a name this store made, or nothing for any other name. */
	Optional<Path> find(String storedName) {
		if (storedName == null || !STORED_NAME.matcher(storedName).matches()) {
			return Optional.empty();
		}
		Path file = dir.resolve(storedName);
		return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
	}

	static String mediaType(String storedName) {
		String extension = storedName.substring(storedName.lastIndexOf('.') + 1);
		return switch (extension) {
			case "jpg" -> "image/jpeg";
			case "png" -> "image/png";
			case "gif" -> "image/gif";
			case "bmp" -> "image/bmp";
			case "webp" -> "image/webp";
			case "tif" -> "image/tiff";
			default -> "application/octet-stream";
		};
	}

}
