package org.mlpages.image.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.training.PhotoFolders.Labelled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zips a person uploads to train a model, good and hostile. Archives are built here
 * with commons-compress, which writes whatever name or file mode it is given, as a
 * hostile tool would.
 */
class PhotoArchiveTest {

	private static final Path CATS = Path.of("src", "test", "resources", "training", "photos", "cats");

	private static final PhotoArchive.Limits LIMITS = new PhotoArchive.Limits(100, 10 * MB(), 50 * MB());

	@TempDir
	Path dir;

	private static long MB() {
		return 1024L * 1024;
	}

	@Test
	void folderZippedWithItsWrapperUnpacksToItsClassFolders() throws IOException {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("pets/", null);
		entries.put("pets/cats/a.jpg", photo(0));
		entries.put("pets/cats/b.jpg", photo(1));
		entries.put("pets/dogs/c.jpg", photo(2));
		entries.put("pets/dogs/.DS_Store", new byte[] { 1, 2 });
		entries.put("__MACOSX/pets/cats/._a.jpg", new byte[] { 3 });
		Path root = PhotoArchive.unpack(zip(entries), dir.resolve("out"), LIMITS);

		assertThat(root).isEqualTo(dir.resolve("out/pets").toAbsolutePath());
		Labelled labelled = PhotoFolders.scan(root, ProgressListener.NONE);
		assertThat(labelled.classes()).containsExactly("cats", "dogs");
		assertThat(labelled.photos()).hasSize(3);
		assertThat(dir.resolve("out/__MACOSX")).doesNotExist();
		PhotoCheck.requireReadable(labelled, root, new PhotoDecoder());
	}

	@Test
	void namesClimbingOutOfTheFolderAreRefusedAndNothingLandsOutside() throws IOException {
		for (String name : new String[] { "../evil.jpg", "cats/../../evil.jpg", "/tmp/evil.jpg", "..\\evil.jpg",
				"cats\\..\\..\\evil.jpg", "C:/evil.jpg", "\\evil.jpg" }) {
			Path target = dir.resolve("out-" + Math.abs(name.hashCode()));
			assertThatThrownBy(() -> PhotoArchive.unpack(zip(Map.of(name, photo(0))), target, LIMITS)).as(name)
				.isInstanceOfSatisfying(TrainingInputException.class, ex -> {
					assertThat(ex.code()).isEqualTo("unsafe-path");
					assertThat(ex.getMessage()).contains("evil.jpg");
				});
		}
		try (Stream<Path> files = Files.walk(dir)) {
			assertThat(files.filter(f -> f.getFileName().toString().equals("evil.jpg"))).isEmpty();
		}
	}

	@Test
	void symbolicLinkIsRefused() throws IOException {
		Path zip = dir.resolve("link.zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			add(out, "cats/a.jpg", photo(0));
			ZipArchiveEntry link = new ZipArchiveEntry("cats/passwd.jpg");
			link.setUnixMode(0120777);
			out.putArchiveEntry(link);
			out.write("/etc/passwd".getBytes());
			out.closeArchiveEntry();
		}
		assertThatThrownBy(() -> PhotoArchive.unpack(zip, dir.resolve("out"), LIMITS))
			.isInstanceOfSatisfying(TrainingInputException.class, ex -> {
				assertThat(ex.code()).isEqualTo("symlink");
				assertThat(ex.getMessage()).contains("cats/passwd.jpg");
			});
		assertThat(dir.resolve("out/cats/passwd.jpg")).doesNotExist();
	}

	@Test
	void zipBombIsStoppedAtTheLimitWhateverTheArchiveDeclares() throws IOException {
		// 40 MB of zeros deflate to about 40 KB; the declared size is faked to 1 KB
		Path zip = dir.resolve("bomb.zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			add(out, "cats/a.jpg", photo(0));
			out.putArchiveEntry(new ZipArchiveEntry("dogs/bomb.jpg"));
			byte[] zeros = new byte[1024 * 1024];
			for (int i = 0; i < 40; i++) {
				out.write(zeros);
			}
			out.closeArchiveEntry();
		}
		assertThat(Files.size(zip)).isLessThan(200_000);
		declareUncompressedSize(zip, "dogs/bomb.jpg", 1024);
		assertThatThrownBy(() -> PhotoArchive.unpack(zip, dir.resolve("out"), LIMITS))
			.isInstanceOfSatisfying(TrainingInputException.class, ex -> {
				assertThat(ex.code()).isEqualTo("file-too-large");
				assertThat(ex.getMessage()).contains("dogs/bomb.jpg");
			});
		Path partial = dir.resolve("out/dogs/bomb.jpg");
		assertThat(Files.size(partial)).isLessThanOrEqualTo(10 * MB() + 1);
	}

	@Test
	void manyModestFilesStillHitTheTotalLimit() throws IOException {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < 8; i++) {
			entries.put("cats/" + i + ".jpg", new byte[(int) (3 * MB())]);
		}
		PhotoArchive.Limits limits = new PhotoArchive.Limits(100, 10 * MB(), 20 * MB());
		assertThatThrownBy(() -> PhotoArchive.unpack(zip(entries), dir.resolve("out"), limits)).isInstanceOfSatisfying(
				TrainingInputException.class, ex -> assertThat(ex.code()).isEqualTo("archive-too-large-unpacked"));
	}

	@Test
	void tooManyFilesAreRefused() {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		for (int i = 0; i < 6; i++) {
			entries.put("cats/" + i + ".jpg", new byte[] { 1 });
		}
		PhotoArchive.Limits limits = new PhotoArchive.Limits(5, MB(), MB());
		assertThatThrownBy(() -> PhotoArchive.unpack(zip(entries), dir.resolve("out"), limits))
			.isInstanceOfSatisfying(TrainingInputException.class, ex -> {
				assertThat(ex.code()).isEqualTo("too-many-files");
				assertThat(ex.arguments()).containsExactly(5);
			});
	}

	@Test
	void aFileThatIsNotAZipIsRefused() throws IOException {
		Path notZip = dir.resolve("photo.zip");
		Files.write(notZip, photo(0));
		assertThatThrownBy(() -> PhotoArchive.unpack(notZip, dir.resolve("out"), LIMITS))
			.isInstanceOfSatisfying(TrainingInputException.class, ex -> assertThat(ex.code()).isEqualTo("not-a-zip"));
	}

	@Test
	void theSameNameTwiceIsRefused() throws IOException {
		Path zip = dir.resolve("twice.zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			add(out, "cats/a.jpg", photo(0));
			add(out, "cats/a.jpg", photo(1));
		}
		assertThatThrownBy(() -> PhotoArchive.unpack(zip, dir.resolve("out"), LIMITS)).isInstanceOfSatisfying(
				TrainingInputException.class, ex -> assertThat(ex.code()).isEqualTo("duplicate-entry"));
	}

	@Test
	void emptyClassFolderIsRefusedByName() throws IOException {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("cats/", null);
		entries.put("dogs/a.jpg", photo(0));
		entries.put("dogs/b.jpg", photo(1));
		Path root = PhotoArchive.unpack(zip(entries), dir.resolve("out"), LIMITS);
		assertThatThrownBy(() -> PhotoFolders.scan(root, ProgressListener.NONE))
			.isInstanceOfSatisfying(TrainingInputException.class, ex -> {
				assertThat(ex.code()).isEqualTo("empty-class");
				assertThat(ex.arguments()).extracting(String::valueOf).containsExactly("cats");
			});
	}

	@Test
	void singleClassIsRefused() throws IOException {
		Path root = PhotoArchive.unpack(zip(Map.of("cats/a.jpg", photo(0), "cats/b.jpg", photo(1))), dir.resolve("out"),
				LIMITS);
		assertThatThrownBy(() -> PhotoFolders.scan(root, ProgressListener.NONE)).isInstanceOfSatisfying(
				TrainingInputException.class, ex -> assertThat(ex.code()).isEqualTo("single-class"));
	}

	@Test
	void aFileThatIsNotAPhotoIsRefusedByName() throws IOException {
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("cats/a.jpg", photo(0));
		entries.put("cats/notes.jpg", "these are not pixels".getBytes());
		entries.put("dogs/b.jpg", photo(1));
		Path root = PhotoArchive.unpack(zip(entries), dir.resolve("out"), LIMITS);
		Labelled labelled = PhotoFolders.scan(root, ProgressListener.NONE);
		assertThatThrownBy(() -> PhotoCheck.requireReadable(labelled, root, new PhotoDecoder()))
			.isInstanceOfSatisfying(TrainingInputException.class, ex -> {
				assertThat(ex.code()).isEqualTo("photo-not-an-image");
				assertThat(ex.arguments()[0]).isEqualTo("cats/notes.jpg");
			});
	}

	@Test
	void aPhotoOverThePixelLimitIsRefusedBeforeDecoding() throws IOException {
		Path root = PhotoArchive.unpack(zip(Map.of("cats/a.jpg", photo(0), "dogs/b.jpg", photo(1))), dir.resolve("out"),
				LIMITS);
		Labelled labelled = PhotoFolders.scan(root, ProgressListener.NONE);
		assertThatThrownBy(() -> PhotoCheck.requireReadable(labelled, root, new PhotoDecoder(1000)))
			.isInstanceOfSatisfying(TrainingInputException.class,
					ex -> assertThat(ex.code()).isEqualTo("photo-too-many-pixels"));
	}

	private static byte[] photo(int index) throws IOException {
		try (Stream<Path> files = Files.list(CATS)) {
			return Files.readAllBytes(files.sorted().skip(index).findFirst().orElseThrow());
		}
	}

	/** Entries in order; a null value makes a folder entry. */
	private Path zip(Map<String, byte[]> entries) throws IOException {
		Path zip = Files.createTempFile(dir, "photos", ".zip");
		try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
			for (Map.Entry<String, byte[]> e : entries.entrySet()) {
				add(out, e.getKey(), e.getValue());
			}
		}
		return zip;
	}

	private static void add(ZipArchiveOutputStream out, String name, byte[] bytes) throws IOException {
		ZipArchiveEntry entry = new ZipArchiveEntry(name);
		out.putArchiveEntry(entry);
		if (bytes != null) {
			out.write(bytes);
		}
		out.closeArchiveEntry();
	}

	/**
	 * Rewrites the uncompressed size that the local header and the central directory
	 * declare for one entry, as a crafted archive would.
	 */
	private static void declareUncompressedSize(Path zip, String name, int size) throws IOException {
		byte[] bytes = Files.readAllBytes(zip);
		ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
		int patched = 0;
		for (int i = 0; i + 46 < bytes.length; i++) {
			int signature = buffer.getInt(i);
			// local file header: size at 22, name length at 26, name at 30; central
			// directory header: size at 24, name length at 28, name at 46
			int sizeAt = signature == 0x04034b50 ? 22 : signature == 0x02014b50 ? 24 : -1;
			if (sizeAt < 0) {
				continue;
			}
			int nameAt = signature == 0x04034b50 ? 30 : 46;
			int nameLength = Short.toUnsignedInt(buffer.getShort(i + sizeAt + 4));
			if (nameLength == wanted.length
					&& Arrays.equals(bytes, i + nameAt, i + nameAt + nameLength, wanted, 0, wanted.length)) {
				buffer.putInt(i + sizeAt, size);
				patched++;
			}
		}
		assertThat(patched).as("headers patched").isEqualTo(2);
		Files.write(zip, bytes);
	}

}
