package org.mlpages.image.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.object.datatype.StringData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.image.photo.PhotoDecoder;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.image.photo.ResizeMode;
import org.mlpages.image.photo.TensorPreprocessor;
import org.mlpages.keras.ImportedModel;
import org.mlpages.keras.KerasFeatureExtractor;
import org.mlpages.keras.KerasImportException;
import org.mlpages.keras.KerasModelCut;
import org.mlpages.keras.KerasModelImporter;
import org.mlpages.keras.TensorFlowNatives;
import org.mlpages.keras.Npy;
import org.mlpages.keras.SavedModelRunner;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains once on 15 cats and 15 dogs (src/test/resources/training, see its NOTICE) with
 * the shipped base model, then checks the model, the written files and the refusals. The
 * HDF5 layout was also checked with Debian's python3-h5py and
 * src/test/resources/training/keras_h5_check.py, which follows tf_keras's loader.
 */
class ImageHeadTrainerTest {

	static final Path BASE = Path.of("models", "cat_dog_model.h5");
	static final Path PHOTOS = Path.of("src", "test", "resources", "training", "photos");

	/**
	 * The same natives directory as the keras tests, so the libraries are copied once per
	 * build.
	 */
	static final Path CACHE = Path.of("target", "tf-natives");

	@TempDir
	static Path work;
	static Path model;
	static TrainingReport report;
	static List<String> warnings = new ArrayList<>();
	static List<int[]> progress = new ArrayList<>();

	@BeforeAll
	static void train() throws IOException {
		TensorFlowNatives.ensureLoaded(CACHE);
		Path data = work.resolve("data");
		copyTree(PHOTOS, data);
		// a stray text file among the photos: skipped with a warning, not fatal
		Files.writeString(data.resolve("cats").resolve("notes.txt"), "not a photo");
		model = work.resolve("out").resolve("pets.h5");
		TrainingRequest request = TrainingRequest.builder(data, BASE, model)
			.validationFraction(0.4)
			.seed(7)
			.cacheDir(CACHE)
			.title("Pets", "Animaux")
			.label("cats", new TrainingRequest.LabelText("Cat", "Cat", "Chat"))
			.build();
		report = new ImageHeadTrainer().train(request, new ProgressListener() {
			@Override
			public void warning(String message) {
				warnings.add(message);
			}

			@Override
			public void photos(int done, int total, double perSecond, java.time.Duration remaining) {
				progress.add(new int[] { done, total });
			}
		});
	}

	@Test
	void validationAccuracyIsWellAboveChance() {
		assertEquals(List.of("cats", "dogs"), report.classes());
		assertEquals(12, report.validation().total(), "6 of each class held out");
		assertTrue(report.validationAccuracy() >= 0.8, "accuracy " + report.validationAccuracy());
		assertTrue(report.trainAccuracy() >= 0.9, "training accuracy " + report.trainAccuracy());
		int[] last = progress.get(progress.size() - 1);
		assertEquals(last[1], last[0], "progress ends at the total");
		assertEquals(31, last[1]);
	}

	@Test
	void nonImageIsSkippedWithAWarningAndListed() {
		assertEquals(1, warnings.size(), warnings.toString());
		assertTrue(warnings.get(0).contains("cats/notes.txt") && warnings.get(0).contains("not an image"),
				warnings.get(0));
		assertTrue(report.skipped().contains(warnings.get(0)));
	}

	@Test
	void writtenModelLoadsThroughTheImporterAndMatchesBaseFeaturesThroughTheHead() throws IOException {
		assertTrue(report.reloadMaxDifference() <= 1e-5, "trainer's own check " + report.reloadMaxDifference());

		// independently: photos -> cut base (TensorFlow) -> head read back from the file
		// (Java, double)
		float[][] kernel;
		float[] bias;
		try (HdfFile h5 = new HdfFile(model)) {
			kernel = (float[][]) ((Dataset) h5.getByPath("model_weights/trained_head/trained_head/kernel:0")).getData();
			bias = (float[]) ((Dataset) h5.getByPath("model_weights/trained_head/trained_head/bias:0")).getData();
		}
		LinearHead head = new LinearHead(kernel, bias);
		TensorPreprocessor pre = new TensorPreprocessor(Preprocessing.minusOneToOne(ResizeMode.CENTER_CROP, 224, 224));
		List<Path> photos = List.of(PHOTOS.resolve("cats/cdf_validation_cat.2003.jpg"),
				PHOTOS.resolve("dogs/cdf_validation_dog.2005.jpg"), PHOTOS.resolve("cats/nasser0111_cat.jpg"));
		float[] input = new float[photos.size() * pre.tensorSize()];
		for (int i = 0; i < photos.size(); i++) {
			pre.writeInto(new PhotoDecoder().decode(Files.readAllBytes(photos.get(i))).image(), input,
					i * pre.tensorSize());
		}
		float[] features;
		try (KerasModelCut cut = KerasModelCut.open(BASE, null); KerasFeatureExtractor fx = cut.openExtractor(CACHE)) {
			features = fx.extract(input, photos.size());
			assertEquals(1280, fx.featureSize());
		}
		ImportedModel imported = new KerasModelImporter().importModel(model, CACHE);
		assertEquals(2, imported.outputSize());
		Npy.Array out;
		try (SavedModelRunner runner = new SavedModelRunner(imported)) {
			out = runner.run(new long[] { photos.size(), 224, 224, 3 }, input);
		}
		for (int i = 0; i < photos.size(); i++) {
			double[] expected = head.probabilities(features, i * 1280);
			for (int c = 0; c < 2; c++) {
				assertEquals(expected[c], out.values()[i * 2 + c], 1e-5, "photo " + i + " class " + c);
			}
		}
	}

	@Test
	void h5HasTheLayoutKerasReads() throws IOException {
		try (HdfFile h5 = new HdfFile(model)) {
			for (String name : List.of("keras_version", "backend", "model_config")) {
				Attribute a = h5.getAttribute(name);
				assertInstanceOf(String.class, a.getData(), name);
				assertInstanceOf(StringData.class, a.getDataType(), name);
				assertEquals(StringData.class, a.getDataType().getClass());
			}
			assertEquals("2.20.1", h5.getAttribute("keras_version").getData());
			assertEquals("tensorflow", h5.getAttribute("backend").getData());
			String json = (String) h5.getAttribute("model_config").getData();
			assertTrue(json.getBytes(StandardCharsets.UTF_8).length < 64512, "fits one attribute");
			JsonNode config = JsonMapper.builder().build().readTree(json);
			assertEquals("Sequential", config.path("class_name").stringValue());
			JsonNode layers = config.path("config").path("layers");
			JsonNode last = layers.get(layers.size() - 1);
			assertEquals("Dense", last.path("class_name").stringValue());
			assertEquals("trained_head", last.path("config").path("name").stringValue());
			assertEquals(2, last.path("config").path("units").intValue());
			assertEquals("softmax", last.path("config").path("activation").stringValue());
			assertFalse(json.contains("kernel_initializer"), "compacted");

			Group weights = (Group) h5.getChild("model_weights");
			assertEquals(List.of("sequential_1", "trained_head"),
					List.of((String[]) weights.getAttribute("layer_names").getData()));
			String[] headNames = (String[]) weights.getChild("trained_head").getAttribute("weight_names").getData();
			assertEquals(List.of("trained_head/kernel:0", "trained_head/bias:0"), List.of(headNames));
			Dataset kernel = (Dataset) h5.getByPath("model_weights/trained_head/trained_head/kernel:0");
			assertEquals(float.class, kernel.getJavaType());
			assertEquals(List.of(1280, 2), List.of(kernel.getDimensions()[0], kernel.getDimensions()[1]));

			// the base's weights are copied as they were, in their order
			try (HdfFile base = new HdfFile(BASE)) {
				Group baseGroup = (Group) base.getByPath("model_weights/sequential_1");
				Group group = (Group) weights.getChild("sequential_1");
				String[] names = (String[]) group.getAttribute("weight_names").getData();
				assertEquals(List.of((String[]) baseGroup.getAttribute("weight_names").getData()), List.of(names));
				for (String w : List.of(names[0], names[names.length - 1])) {
					Dataset mine = (Dataset) group.getByPath(w);
					Dataset theirs = (Dataset) baseGroup.getByPath(w);
					assertEquals(float.class, mine.getJavaType());
					assertEquals(List.of(toList(theirs.getDimensions())), List.of(toList(mine.getDimensions())));
					assertTrue(java.util.Arrays.deepEquals(new Object[] { theirs.getData() },
							new Object[] { mine.getData() }), w);
				}
			}
		}
	}

	@Test
	void descriptorAndReportAreWritten() throws IOException {
		Map<String, Object> yml = new Yaml().load(Files.readString(work.resolve("out/pets.yml")));
		assertEquals(Map.of("en", "Pets", "fr", "Animaux"), yml.get("title"));
		assertEquals(List.of(Map.of("id", "Cat", "en", "Cat", "fr", "Chat"),
				Map.of("id", "dogs", "en", "dogs", "fr", "dogs")), yml.get("labels"));
		@SuppressWarnings("unchecked")
		Map<String, Object> input = (Map<String, Object>) yml.get("input");
		assertEquals(224, input.get("width"));
		assertEquals("center-crop", input.get("resize"));
		assertEquals(1 / 127.5f, ((Number) input.get("scale")).floatValue());
		assertEquals(-1, input.get("offset"));
		String md = Files.readString(work.resolve("out/pets.report.md"));
		assertTrue(md.contains("Validation accuracy") && md.contains("| true \\ predicted |") && md.contains("photos/s")
				&& md.contains("seed 7"), md);
	}

	@Test
	void emptyClassFolderIsRefused() throws IOException {
		Path data = work.resolve("empty-class");
		Files.createDirectories(data.resolve("cats"));
		Files.createDirectories(data.resolve("dogs"));
		Files.copy(PHOTOS.resolve("dogs/nasser0111_dog.jpg"), data.resolve("dogs/a.jpg"));
		TrainingInputException e = assertThrows(TrainingInputException.class, () -> train(data));
		assertTrue(e.getMessage().contains("cats is empty"), e.getMessage());
	}

	@Test
	void singleClassIsRefused() throws IOException {
		Path data = work.resolve("single");
		Files.createDirectories(data.resolve("cats"));
		Files.copy(PHOTOS.resolve("cats/nasser0111_cat.jpg"), data.resolve("cats/a.jpg"));
		TrainingInputException e = assertThrows(TrainingInputException.class, () -> train(data));
		assertTrue(e.getMessage().contains("single class folder (cats)"), e.getMessage());
	}

	@Test
	void classWithoutAnyPhotoIsRefusedAfterSkipping() throws IOException {
		Path data = work.resolve("no-photos");
		Files.createDirectories(data.resolve("cats"));
		Files.createDirectories(data.resolve("dogs"));
		for (int i = 0; i < 3; i++) {
			Files.writeString(data.resolve("cats/readme" + i + ".txt"), "text");
			Files.copy(PHOTOS.resolve("dogs/cdf_validation_dog.200" + i + ".jpg"), data.resolve("dogs/" + i + ".jpg"));
		}
		TrainingInputException e = assertThrows(TrainingInputException.class, () -> train(data));
		assertTrue(e.getMessage().contains("class cats has no usable photo"), e.getMessage());
		assertFalse(Files.exists(data.resolve("model.h5")), "nothing written");
	}

	@Test
	void unknownCutLayerIsRefused() {
		KerasImportException e = assertThrows(KerasImportException.class, () -> KerasModelCut.open(BASE, "nope"));
		assertTrue(e.getMessage().contains("no layer named 'nope'"), e.getMessage());
		KerasImportException spatial = assertThrows(KerasImportException.class, () -> {
			try (KerasModelCut cut = KerasModelCut.open(BASE, "out_relu")) {
				cut.openExtractor(CACHE).close();
			}
		});
		assertTrue(spatial.getMessage().contains("cut at a pooling or Flatten layer"), spatial.getMessage());
	}

	@Test
	void cancellationStopsWithoutWriting() throws IOException {
		Path out = work.resolve("cancelled/model.h5");
		TrainingRequest request = TrainingRequest.builder(PHOTOS, BASE, out).cacheDir(CACHE).build();
		assertThrows(TrainingCancelledException.class,
				() -> new ImageHeadTrainer().train(request, new ProgressListener() {
					int batches;

					@Override
					public void photos(int done, int total, double perSecond, java.time.Duration remaining) {
						batches++;
					}

					@Override
					public boolean isCancelled() {
						return batches >= 1;
					}
				}));
		assertFalse(Files.exists(out));
	}

	@Test
	void commandLineRefusesBadUsageAndBadData() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = org.mlpages.Commands.run(new String[] { "train-image", "--data", "x" }, new PrintStream(out),
				new PrintStream(err));
		assertEquals(TrainImageCommand.USAGE, code);
		assertTrue(err.toString().contains("Missing required options: '--base=FILE.h5', '--out=FILE.h5'"),
				err.toString());

		Path data = work.resolve("cli-single");
		Files.createDirectories(data.resolve("dogs"));
		Files.copy(PHOTOS.resolve("dogs/nasser0111_dog.jpg"), data.resolve("dogs/a.jpg"));
		err.reset();
		code = org.mlpages.Commands.run(
				new String[] { "train-image", "--data", data.toString(), "--base", BASE.toString(), "--out",
						work.resolve("cli.h5").toString(), "--cache", CACHE.toString() },
				new PrintStream(out), new PrintStream(err));
		assertEquals(TrainImageCommand.CANNOT_TRAIN, code);
		assertTrue(err.toString().contains("Cannot train:") && err.toString().contains("at least two classes"),
				err.toString());
	}

	private static TrainingReport train(Path data) throws IOException {
		return new ImageHeadTrainer().train(
				TrainingRequest.builder(data, BASE, data.resolve("model.h5")).cacheDir(CACHE).build(),
				ProgressListener.NONE);
	}

	private static List<Integer> toList(int[] a) {
		return java.util.Arrays.stream(a).boxed().toList();
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path p : files.toList()) {
				Path target = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(p, target);
				}
			}
		}
	}

}
