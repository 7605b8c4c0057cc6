package org.mlpages.image.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Unpacks a zip of labelled photos (one folder per class) for training, refusing what
 * could harm the server: names that climb out of the target folder ({@code ../}, absolute
 * or drive paths), symbolic links, and archives that unpack to far more than they weigh
 * (zip bombs). Sizes are counted on the bytes actually inflated, not on what the archive
 * declares, since a crafted archive declares what it likes.
 *
 * <p>
 * A zip made by zipping the folder itself ({@code pets/cats/..., pets/dogs/...}) is
 * accepted as well as one made from inside it; the folders macOS adds ({@code __MACOSX})
 * and hidden files are skipped.
 */
public final class PhotoArchive {

	/**
	 * What an archive may hold.
	 *
	 * @param maxFiles files at most (folders not counted)
	 * @param maxFileBytes bytes of one unpacked file at most (a photo upload's limit)
	 * @param maxTotalBytes bytes of all unpacked files together at most
	 */
	public record Limits(int maxFiles, long maxFileBytes, long maxTotalBytes) {

		public Limits {
			if (maxFiles < 1 || maxFileBytes < 1 || maxTotalBytes < 1) {
				throw new IllegalArgumentException("limits must be positive");
			}
		}

	}

	private PhotoArchive() {
	}

	/**
	 * Unpacks {@code zip} into {@code target} (created, must not exist yet).
	 * @return the folder holding the class folders: {@code target}, or the single folder
	 * the archive wraps them in
	 * @throws TrainingInputException when the archive is not a zip, is encrypted, holds
	 * an unsafe name or a link, or exceeds a limit; {@code target} may then hold part of
	 * the archive and is the caller's to delete
	 */
	public static Path unpack(Path zip, Path target, Limits limits) throws IOException {
		Files.createDirectories(target.getParent());
		Files.createDirectory(target);
		Path root = target.toAbsolutePath().normalize();
		try (ZipFile archive = open(zip)) {
			int files = 0;
			long total = 0;
			for (ZipArchiveEntry entry : Collections.list(archive.getEntries())) {
				String name = entry.getName();
				List<String> segments = safeSegments(name);
				if (segments.isEmpty() || isSkipped(segments)) {
					continue;
				}
				if (entry.isUnixSymlink()) {
					throw new TrainingInputException("symlink", "The archive holds a symbolic link (" + name
							+ "); links are refused, put the photos themselves in the zip", name);
				}
				Path destination = root.resolve(String.join("/", segments)).normalize();
				if (!destination.startsWith(root) || destination.equals(root)) {
					throw unsafe(name);
				}
				if (entry.isDirectory()) {
					Files.createDirectories(destination);
					continue;
				}
				if (++files > limits.maxFiles()) {
					throw new TrainingInputException("too-many-files",
							"The archive holds more than " + limits.maxFiles() + " files", limits.maxFiles());
				}
				if (!archive.canReadEntryData(entry)) {
					throw new TrainingInputException("unreadable-entry",
							name + " is encrypted or compressed in a way this server cannot read; zip the photos again"
									+ " without a password",
							name);
				}
				if (entry.getSize() > limits.maxFileBytes()) {
					throw tooLarge(name, limits);
				}
				Files.createDirectories(destination.getParent());
				long allowed = Math.min(limits.maxFileBytes(), limits.maxTotalBytes() - total);
				long written = copy(archive, entry, destination, allowed);
				if (written > allowed) {
					throw written > limits.maxFileBytes() ? tooLarge(name, limits) : tooLargeInTotal(limits);
				}
				total += written;
			}
		}
		return wrappedRoot(root);
	}

	private static ZipFile open(Path zip) throws IOException {
		try {
			return ZipFile.builder().setPath(zip).get();
		}
		catch (IOException ex) {
			if (Files.isRegularFile(zip)) {
				throw new TrainingInputException("not-a-zip",
						"The file is not a zip archive this server can read (" + ex.getMessage() + ")");
			}
			throw ex;
		}
	}

	/**
	 * The name's folders and file name, or a refusal if any part would leave the target
	 * folder. Backslashes count as separators: archives made on Windows use them, and a
	 * {@code ..\} must not slip through.
	 */
	static List<String> safeSegments(String name) {
		if (name.indexOf('\0') >= 0 || name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
			throw unsafe(name);
		}
		List<String> segments = new ArrayList<>();
		for (String segment : name.split("[/\\\\]")) {
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			if (segment.equals("..")) {
				throw unsafe(name);
			}
			segments.add(segment);
		}
		return segments;
	}

	private static boolean isSkipped(List<String> segments) {
		return segments.get(0).equals("__MACOSX") || segments.stream().anyMatch(s -> s.startsWith("."));
	}

	/**
	 * Copies at most {@code allowed + 1} bytes: one more than allowed proves too many.
	 */
	private static long copy(ZipFile archive, ZipArchiveEntry entry, Path destination, long allowed)
			throws IOException {
		try (InputStream in = archive.getInputStream(entry)) {
			return Files.copy(BoundedInputStream.builder().setInputStream(in).setMaxCount(allowed + 1).get(),
					destination);
		}
		catch (FileAlreadyExistsException ex) {
			throw new TrainingInputException("duplicate-entry",
					"The archive holds " + entry.getName() + " twice (or in two spellings)", entry.getName());
		}
	}

	/**
	 * Zipping the folder itself puts everything under one more folder: look inside it
	 * when it is all there is and holds only folders.
	 */
	private static Path wrappedRoot(Path root) throws IOException {
		List<Path> top = list(root);
		if (top.size() == 1 && Files.isDirectory(top.get(0))) {
			List<Path> inside = list(top.get(0));
			if (!inside.isEmpty() && inside.stream().allMatch(Files::isDirectory)) {
				return top.get(0);
			}
		}
		return root;
	}

	private static List<Path> list(Path dir) throws IOException {
		try (Stream<Path> entries = Files.list(dir)) {
			return entries.toList();
		}
	}

	private static TrainingInputException unsafe(String name) {
		return new TrainingInputException("unsafe-path", "The archive holds an entry whose name points outside its"
				+ " folder (" + name + "); such archives are refused", name);
	}

	private static TrainingInputException tooLarge(String name, Limits limits) {
		return new TrainingInputException("file-too-large", String.format(Locale.ROOT,
				"%s unpacks to more than %d MB, the limit for one photo", name, limits.maxFileBytes() / (1024 * 1024)),
				name, limits.maxFileBytes() / (1024 * 1024));
	}

	private static TrainingInputException tooLargeInTotal(Limits limits) {
		return new TrainingInputException(
				"archive-too-large-unpacked", String.format(Locale.ROOT,
						"The archive unpacks to more than %d MB in all", limits.maxTotalBytes() / (1024 * 1024)),
				limits.maxTotalBytes() / (1024 * 1024));
	}

}
