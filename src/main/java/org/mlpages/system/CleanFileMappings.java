package org.mlpages.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The mappings of files that this process holds in memory and never wrote to (read-only,
 * no private copy of any page: {@code Anonymous: 0} in {@code /proc/self/smaps}), and
 * their release: {@code madvise(MADV_DONTNEED)} takes their pages out of the process's
 * resident memory, and the kernel reads the same bytes from the file (its page cache,
 * usually) when they are next touched. For such a mapping nothing can be lost; a mapping
 * with a written page is never released (it would lose what was written). Linux only.
 */
final class CleanFileMappings {

	private static final Pattern HEADER = Pattern
		.compile("^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) \\S+ \\S+ \\S+\\s*(.*)$");

	private static final int MADV_DONTNEED = 4;

	private static final Path SMAPS = Path.of("/proc/self/smaps");

	/**
	 * One mapping of a file.
	 *
	 * @param start its first address
	 * @param length its length in bytes
	 * @param file the file's path
	 * @param residentBytes how much of it is in the process's resident memory
	 */
	record Mapping(long start, long length, String file, long residentBytes) {
	}

	private CleanFileMappings() {
	}

	/** True where this can work: Linux on a 64-bit machine, with a readable smaps. */
	static boolean supported() {
		return Platform.isLinux() && Native.POINTER_SIZE == 8 && Files.isReadable(SMAPS);
	}

	/** This process's clean mappings of the files {@code file} accepts. */
	static List<Mapping> ofThisProcess(Predicate<String> file) throws IOException {
		return parse(Files.readAllLines(SMAPS), file);
	}

	/**
	 * The clean mappings, among those of an smaps text, of the files {@code file}
	 * accepts.
	 */
	static List<Mapping> parse(List<String> smaps, Predicate<String> file) {
		List<Mapping> clean = new ArrayList<>();
		Matcher current = null;
		long rss = 0;
		long anonymous = 0;
		for (String line : smaps) {
			Matcher header = HEADER.matcher(line);
			if (header.matches()) {
				addIfClean(clean, current, rss, anonymous, file);
				current = header;
				rss = 0;
				anonymous = 0;
			}
			else if (line.startsWith("Rss:")) {
				rss = kilobytes(line);
			}
			else if (line.startsWith("Anonymous:")) {
				anonymous = kilobytes(line);
			}
		}
		addIfClean(clean, current, rss, anonymous, file);
		return clean;
	}

	private static void addIfClean(List<Mapping> clean, Matcher header, long rss, long anonymous,
			Predicate<String> file) {
		if (header == null || anonymous != 0 || header.group(3).charAt(1) == 'w') {
			return;
		}
		String path = header.group(4);
		if (!path.startsWith("/") || !file.test(path)) {
			return;
		}
		long start = Long.parseUnsignedLong(header.group(1), 16);
		long end = Long.parseUnsignedLong(header.group(2), 16);
		clean.add(new Mapping(start, end - start, path, rss * 1024));
	}

	private static long kilobytes(String line) {
		String[] fields = line.trim().split("\\s+");
		return Long.parseLong(fields[1]);
	}

	/** Takes the mapping's pages out of resident memory; false if the kernel refused. */
	static boolean release(Mapping mapping) {
		return LibC.INSTANCE.madvise(new Pointer(mapping.start()), mapping.length(), MADV_DONTNEED) == 0;
	}

	private interface LibC extends Library {

		LibC INSTANCE = Native.load("c", LibC.class);

		// size_t is 64 bits wide where this runs (supported())
		int madvise(Pointer address, long length, int advice);

	}

}
