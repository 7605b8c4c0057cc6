package org.mlpages.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.io.input.BoundedInputStream;
import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.InputStreamSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The photos of a batch, kept in a folder of their own from the moment the batch is
 * accepted until each is scored (then it is in the uploads, with its prediction) or
 * refused: a restart resumes the batch from them. A file is named by its row, never by
 * the name it came with.
 * <p>
 * A zip is read with Apache Commons Compress, from its central directory; what it holds
 * is counted as it is inflated, not as it declares, so a zip bomb is stopped at the
 * limit. Folders, the {@code __MACOSX} folder and hidden files are skipped; every other
 * file is a row, a photo or not: a file that is not one gets its own refusal when it is
 * scored.
 */
@Component
class BatchPhotos {

	private static final Logger log = LoggerFactory.getLogger(BatchPhotos.class);

	private final Path dir;

	private final BatchProperties limits;

	private final long maxPhotoBytes;

	BatchPhotos(BatchProperties limits, MlPagesProperties app) throws IOException {
		this.dir = (limits.workDir() != null ? limits.workDir() : app.dataDir().resolve("batches")).toAbsolutePath()
			.normalize();
		this.limits = limits;
		this.maxPhotoBytes = app.upload().maxFileSize().toBytes();
		Files.createDirectories(dir);
	}

	/** A photo as kept: its row, the name it came with, and whether it was too large. */
	record Kept(int row, String originalName, boolean tooLarge) {
	}

	/** One photo as sent in a form, read when it is kept. */
	record Sent(String originalName, InputStreamSource content) {
	}

	/** The most bytes of one photo: the single upload's limit. */
	long maxPhotoBytes() {
		return maxPhotoBytes;
	}

	/**
	 * Keeps the photos of a form, in their order.
	 * @throws InputRejectedException 422 over the limit of photos; nothing is kept then
	 */
	List<Kept> keepPhotos(String batchId, List<Sent> photos) throws IOException {
		if (photos.size() > limits.maxPhotos()) {
			throw tooManyPhotos();
		}
		Path folder = Files.createDirectory(dir.resolve(batchId));
		List<Kept> kept = new ArrayList<>(photos.size());
		try {
			for (Sent photo : photos) {
				int row = kept.size() + 1;
				try (InputStream in = photo.content().getInputStream()) {
					kept.add(keep(in, folder.resolve(Integer.toString(row)), row, photo.originalName(), maxPhotoBytes));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			delete(batchId);
			throw ex;
		}
		return kept;
	}

	/**
	 * Unpacks the photos of a zip, in the order the zip lists them.
	 * @throws InputRejectedException 422 for a file that is not a zip this server reads,
	 * a zip without a file, or over the limit of photos; 413 when it unpacks to more than
	 * the limit; nothing is kept then
	 */
	List<Kept> keepZip(String batchId, Path zip) throws IOException {
		Path folder = Files.createDirectory(dir.resolve(batchId));
		try (ZipFile archive = open(zip)) {
			List<Kept> kept = new ArrayList<>();
			long total = 0;
			for (ZipArchiveEntry entry : Collections.list(archive.getEntries())) {
				String name = fileName(entry);
				if (name == null) {
					continue;
				}
				if (kept.size() == limits.maxPhotos()) {
					throw tooManyPhotos();
				}
				int row = kept.size() + 1;
				Path file = folder.resolve(Integer.toString(row));
				if (!archive.canReadEntryData(entry)) {
					// encrypted, or compressed in a way not read here: refused in its row
					Files.write(file, new byte[0]);
					kept.add(new Kept(row, name, false));
					continue;
				}
				long left = limits.maxArchiveSize().toBytes() - total;
				Kept photo;
				try (InputStream in = archive.getInputStream(entry)) {
					photo = keep(in, file, row, name, Math.min(maxPhotoBytes, left));
				}
				if (photo.tooLarge() && left < maxPhotoBytes) {
					throw tooLargeUnpacked();
				}
				total += Files.exists(file) ? Files.size(file) : 0;
				kept.add(photo);
			}
			if (kept.isEmpty()) {
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.no-photos",
						"zip without a file");
			}
			return kept;
		}
		catch (IOException | RuntimeException ex) {
			delete(batchId);
			throw ex;
		}
	}

	/**
	 * A zip sent as the request's body, written to a file of the work folder (a zip is
	 * read from its end), at most the archive limit.
	 * @throws InputRejectedException 413 over the limit; nothing is kept then
	 */
	Path receiveZip(InputStream body) throws IOException {
		Path zip = dir.resolve(".incoming-" + UUID.randomUUID() + ".zip");
		long allowed = limits.maxArchiveSize().toBytes();
		if (copy(body, zip, allowed) > allowed) {
			Files.deleteIfExists(zip);
			throw new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "batch.rejected.archive-too-large",
					"zip body over " + allowed + " bytes", limits.maxArchiveMegabytes());
		}
		return zip;
	}

	Path temporaryZip() {
		return dir.resolve(".incoming-" + UUID.randomUUID() + ".zip");
	}

	/** A photo of the batch, or nothing when it is no longer there (deleted by hand). */
	byte[] read(String batchId, int row) throws IOException {
		try {
			return Files.readAllBytes(dir.resolve(batchId).resolve(Integer.toString(row)));
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/** The batch's photos, once each is scored or refused, or with the batch. */
	void delete(String batchId) {
		try {
			FileSystemUtils.deleteRecursively(dir.resolve(batchId));
		}
		catch (IOException ex) {
			log.warn("cannot delete the photos of batch {}: {}", batchId, ex.toString());
		}
	}

	/** Whether this batch's photos are in the folder here. */
	boolean has(String batchId) {
		return Files.isDirectory(dir.resolve(batchId));
	}

	/**
	 * Removes what no batch waits for: the folders of batches finished or never accepted
	 * (the app stopped while one was sent), and zips half received; only those an hour
	 * old, as the folder may be shared with instances receiving batches at this moment.
	 */
	void keepOnly(Set<String> waitingBatches) throws IOException {
		java.nio.file.attribute.FileTime anHourAgo = java.nio.file.attribute.FileTime
			.from(java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				if (!waitingBatches.contains(name) && Files.getLastModifiedTime(file).compareTo(anHourAgo) < 0) {
					FileSystemUtils.deleteRecursively(file);
				}
			}
		}
	}

	/**
	 * The entry's own name, without its folders; null for what is not a photo of the
	 * batch (a folder, the files macOS adds, a hidden file).
	 */
	private static String fileName(ZipArchiveEntry entry) {
		if (entry.isDirectory()) {
			return null;
		}
		String[] segments = entry.getName().split("[/\\\\]");
		for (String segment : segments) {
			// "../" is no hidden folder: only a name, the file is kept under its row's
			if (segment.equals("__MACOSX")
					|| segment.startsWith(".") && !segment.equals(".") && !segment.equals("..")) {
				return null;
			}
		}
		String name = segments[segments.length - 1];
		return name.isEmpty() ? null : name;
	}

	private static ZipFile open(Path zip) throws IOException {
		try {
			return ZipFile.builder().setPath(zip).get();
		}
		catch (IOException ex) {
			if (Files.isRegularFile(zip)) {
				throw new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.not-a-zip",
						"not a zip: " + ex.getMessage());
			}
			throw ex;
		}
	}

	/**
	 * A photo written to its row's file; one over {@code allowed} is not kept, its row is
	 * refused.
	 */
	private static Kept keep(InputStream in, Path file, int row, String name, long allowed) throws IOException {
		if (copy(in, file, allowed) > allowed) {
			Files.delete(file);
			return new Kept(row, name, true);
		}
		return new Kept(row, name, false);
	}

	/**
	 * Copies at most {@code allowed + 1} bytes: one more than allowed proves too many.
	 * The stream stays open: it is the caller's.
	 */
	private static long copy(InputStream in, Path destination, long allowed) throws IOException {
		return Files.copy(
				BoundedInputStream.builder().setInputStream(in).setMaxCount(allowed + 1).setPropagateClose(false).get(),
				destination);
	}

	private InputRejectedException tooManyPhotos() {
		return new InputRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "batch.rejected.too-many-photos",
				"more than " + limits.maxPhotos() + " photos", limits.maxPhotos());
	}

	private InputRejectedException tooLargeUnpacked() {
		return new InputRejectedException(HttpStatus.CONTENT_TOO_LARGE, "batch.rejected.archive-too-large",
				"zip unpacks to more than " + limits.maxArchiveSize().toBytes() + " bytes",
				limits.maxArchiveMegabytes());
	}

}
