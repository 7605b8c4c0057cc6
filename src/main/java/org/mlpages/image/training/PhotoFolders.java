package org.mlpages.image.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A folder of labelled photos: one sub-folder per class, named after it, holding that
 * class's photos. Classes are sorted by folder name, which fixes the model's output
 * order.
 *
 * <p>
 * Files are not decoded here: whether a file is a photo is decided by its content when it
 * is decoded (see {@link ImageHeadTrainer}), so a photo saved without an extension is
 * used and a text file named .jpg is not. Hidden files (".DS_Store") and files directly
 * in the top folder are ignored with a warning.
 */
public final class PhotoFolders {

	/** One photo and the index of its class. */
	public record Photo(Path file, int label) {
	}

	/** The photos of a folder and its class names. */
	public record Labelled(List<String> classes, List<Photo> photos) {

		public Labelled {
			classes = List.copyOf(classes);
			photos = List.copyOf(photos);
		}

		public int count(int label) {
			return (int) photos.stream().filter(p -> p.label() == label).count();
		}
	}

	/** Training and validation photos. */
	public record Split(Labelled train, Labelled validation) {
	}

	private PhotoFolders() {
	}

	/**
	 * @throws TrainingInputException if the folder does not exist, has fewer than two
	 * class folders, or a class folder holds no file
	 */
	public static Labelled scan(Path dir, ProgressListener listener) throws IOException {
		if (dir == null || !Files.isDirectory(dir)) {
			throw new TrainingInputException("The photo folder " + dir + " does not exist or is not a folder");
		}
		List<Path> classDirs = new ArrayList<>();
		try (Stream<Path> entries = Files.list(dir)) {
			for (Path p : entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
				String name = p.getFileName().toString();
				if (name.startsWith(".")) {
					continue;
				}
				if (Files.isDirectory(p)) {
					classDirs.add(p);
				}
				else {
					listener.warning("Ignored " + name + ": files must be inside a class folder");
				}
			}
		}
		if (classDirs.isEmpty()) {
			throw new TrainingInputException("no-class",
					dir + " holds no class folder: put each class's photos in a folder"
							+ " named after the class (cats/, dogs/, ...)");
		}
		if (classDirs.size() == 1) {
			throw new TrainingInputException("single-class",
					dir + " holds a single class folder (" + classDirs.get(0).getFileName()
							+ "): a classifier needs at least two classes, one folder each",
					classDirs.get(0).getFileName());
		}
		List<String> classes = new ArrayList<>();
		List<Photo> photos = new ArrayList<>();
		for (Path classDir : classDirs) {
			int label = classes.size();
			classes.add(classDir.getFileName().toString());
			List<Path> files;
			try (Stream<Path> entries = Files.list(classDir)) {
				files = entries.filter(p -> !p.getFileName().toString().startsWith("."))
					.sorted(Comparator.comparing(p -> p.getFileName().toString()))
					.toList();
			}
			int before = photos.size();
			for (Path f : files) {
				if (Files.isRegularFile(f)) {
					photos.add(new Photo(f, label));
				}
				else {
					listener.warning("Ignored " + classDir.getFileName() + "/" + f.getFileName()
							+ ": class folders hold photos, not folders");
				}
			}
			if (photos.size() == before) {
				throw new TrainingInputException("empty-class",
						"The class folder " + classDir.getFileName() + " is empty: every"
								+ " class needs photos (remove the folder to train without that class)",
						classDir.getFileName());
			}
		}
		return new Labelled(classes, photos);
	}

	/**
	 * Splits one folder's photos into training and validation, class by class, so both
	 * keep the class proportions; the same seed gives the same split.
	 * @throws TrainingInputException if a class has fewer than two photos (one for each
	 * side)
	 */
	public static Split stratifiedSplit(Labelled all, double validationFraction, long seed) {
		if (!(validationFraction > 0 && validationFraction < 1)) {
			throw new TrainingInputException(
					"The validation fraction must be between 0 and 1, not " + validationFraction);
		}
		Random random = new Random(seed);
		List<Photo> train = new ArrayList<>();
		List<Photo> validation = new ArrayList<>();
		for (int label = 0; label < all.classes().size(); label++) {
			final int l = label;
			List<Photo> photos = new ArrayList<>(all.photos().stream().filter(p -> p.label() == l).toList());
			if (photos.size() < 2) {
				throw new TrainingInputException("too-few-photos",
						"The class " + all.classes().get(label) + " has " + photos.size()
								+ " photo; at least two are needed to keep one for validation",
						all.classes().get(label), photos.size());
			}
			java.util.Collections.shuffle(photos, random);
			int held = (int) Math.max(1, Math.min(photos.size() - 1, Math.round(photos.size() * validationFraction)));
			validation.addAll(photos.subList(0, held));
			train.addAll(photos.subList(held, photos.size()));
		}
		return new Split(new Labelled(all.classes(), train), new Labelled(all.classes(), validation));
	}

}
