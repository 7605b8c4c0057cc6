package org.mlpages.keras;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Publishing fully written directories into a cache that several JVMs may share: write
 * into a temporary sibling, then rename atomically. A reader therefore sees either
 * nothing or a complete directory. TensorFlow's natives, the models' conversions and ONNX
 * Runtime's natives ({@code org.mlpages.onnx.OnnxRuntimeNatives}) are published so.
 */
public final class CacheDirectories {

	private CacheDirectories() {
	}

	/**
	 * Renames {@code tmp} to {@code target}. Another process may win the race; the JDK
	 * then reports a plain {@link FileSystemException} (not always
	 * DirectoryNotEmptyException), which counts as success when what the winner left is
	 * complete. An incomplete leftover of a crashed run is moved aside first.
	 */
	public static void publish(Path tmp, Path target, Predicate<Path> isComplete) throws IOException {
		if (Files.exists(target) && !isComplete.test(target)) {
			Path stale = target.resolveSibling(
					target.getFileName() + ".stale-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
			try {
				Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
				deleteRecursively(stale);
			}
			catch (FileSystemException e) {
				// another process is replacing it too; the rename below settles who wins
			}
		}
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException e) {
			throw e;
		}
		catch (FileSystemException e) {
			if (!isComplete.test(target)) {
				throw e;
			}
		}
	}

	/** Best effort, for temporary directories: what cannot be deleted is left behind. */
	public static void deleteQuietly(Path dir) {
		try {
			deleteRecursively(dir);
		}
		catch (IOException e) {
			// a leftover temp directory wastes disk but breaks nothing
		}
	}

	static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		List<Path> paths = new ArrayList<>();
		try (var walk = Files.walk(dir)) {
			walk.forEach(paths::add);
		}
		for (int i = paths.size() - 1; i >= 0; i--) {
			Files.deleteIfExists(paths.get(i));
		}
	}

}
