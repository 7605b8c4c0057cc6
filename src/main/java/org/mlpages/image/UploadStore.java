package org.mlpages.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

	private static final Set<OpenOption> CREATE_NEW_WRITE = Set.of(StandardOpenOption.CREATE_NEW,
			StandardOpenOption.WRITE);

	private final Path dir;

	/** rw------- where the file system has POSIX permissions, as a temp file would. */
	private final FileAttribute<?>[] partialAttributes;

	UploadStore(MlPagesProperties properties) throws IOException {
		this.dir = properties.uploadsDir().toAbsolutePath().normalize();
		Files.createDirectories(dir);
		this.partialAttributes = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
				? new FileAttribute<?>[] { PosixFilePermissions
					.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)) }
				: new FileAttribute<?>[0];
	}

	/**
	 * Writes the photo and returns its stored name. The bytes go to a hidden partial file
	 * named after the final one (a fresh UUID, so no other request uses it), created once
	 * with the owner's permissions only, then renamed: no reader ever sees half a photo.
	 * The partial file is deleted only when the write or the rename failed: after a
	 * rename there is nothing left to delete, and asking would cost a failed system call
	 * and an exception per upload.
	 */
	String save(byte[] bytes, String format) throws IOException {
		String name = UUID.randomUUID() + "." + EXTENSIONS.getOrDefault(format, "bin");
		Path partial = dir.resolve(".upload-" + name + ".part");
		boolean moved = false;
		try {
			try (SeekableByteChannel out = Files.newByteChannel(partial, CREATE_NEW_WRITE, partialAttributes)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					out.write(buffer);
				}
			}
			Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
			moved = true;
		}
		finally {
			if (!moved) {
				try {
					Files.deleteIfExists(partial);
				}
				catch (IOException cannotDelete) {
					// the failure that brought us here is the one to report; the next
					// sweep (OrphanedUploads) removes the partial file
				}
			}
		}
		return name;
	}

	/**
	 * What this store wrote and last touched before the given instant: stored photos and
	 * partial files. Anything else in the folder is someone else's and left alone.
	 */
	List<Path> writtenBefore(Instant instant) throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
			List<Path> written = new ArrayList<>();
			for (Path file : files) {
				String name = file.getFileName().toString();
				if ((STORED_NAME.matcher(name).matches() || isPartial(file)) && Files.isRegularFile(file)
						&& Files.getLastModifiedTime(file).toInstant().isBefore(instant)) {
					written.add(file);
				}
			}
			return written;
		}
	}

	/** A photo whose writing was cut short: renamed into place, it would have no dot. */
	static boolean isPartial(Path file) {
		String name = file.getFileName().toString();
		return name.startsWith(".upload-") && name.endsWith(".part");
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
