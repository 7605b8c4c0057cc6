package org.mlpages.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;

/**
 * A classifier exported to ONNX (scikit-learn through skl2onnx, XGBoost, LightGBM or
 * CatBoost through onnxmltools), run by ONNX Runtime: rows in, a label and one
 * probability per class out. Takes the two layouts converters write: one
 * {@code FLOAT[N, k]} input holding every column, or one {@code [N, 1]} input per column
 * of its own type (a ColumnTransformer's strings and numbers); and both ways of giving
 * probabilities: skl2onnx's default ZipMap (a sequence of maps {class: probability}, one
 * per row) or a plain {@code FLOAT[N, classes]} tensor.
 * <p>
 * Thread-safe: ONNX Runtime runs one session for several callers. Each session keeps to
 * one thread: a tabular model answers in microseconds, where a thread pool's hand-offs
 * would cost more than they save.
 */
public final class OnnxClassifier implements AutoCloseable {

	/** The element types a column may have. */
	public enum ValueType {

		FLOAT, DOUBLE, INT64, INT32, STRING, BOOL

	}

	/**
	 * One input of the model.
	 *
	 * @param width the values it takes per row: 1 for {@code [N]} or {@code [N, 1]},
	 * {@code k} for {@code [N, k]}
	 */
	public record Input(String name, ValueType type, int width) {

		/** As a person reads it: {@code age float}, {@code input float[15]}. */
		public String describe() {
			return name + " " + type.name().toLowerCase(Locale.ROOT) + (width > 1 ? "[" + width + "]" : "");
		}

	}

	/** The model's inputs as a person reads them: {@code sex string, age float}. */
	public String describeInputs() {
		return String.join(", ", inputs.stream().map(Input::describe).toList());
	}

	/**
	 * How an input's tensor is shaped: rank 1 ({@code [N]}) or 2, and a batch size fixed
	 * at 1 by the exporter (then rows go one by one).
	 */
	private record Layout(boolean flat, boolean singleRow) {
	}

	/** How the model gives its probabilities. */
	public enum Probabilities {

		/** skl2onnx's default: a sequence of maps {class: probability}. */
		ZIPMAP,
		/** A {@code FLOAT[N, classes]} tensor, in the classes' order. */
		TENSOR

	}

	/**
	 * One row's answer.
	 *
	 * @param label the class the model chose, as its label output says it
	 * @param probabilities each class's probability, in the model's class order
	 */
	public record Prediction(String label, Map<String, Double> probabilities) {
	}

	private final Path file;

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final List<Input> inputs;

	private final Map<String, Layout> layouts;

	private final boolean oneRowAtATime;

	private final String labelOutput;

	private final String probabilityOutput;

	private final Probabilities probabilities;

	private final List<String> classes;

	private final OnnxGraphFacts facts;

	/**
	 * Predictions hold it shared, closing holds it alone: a session closed while ONNX
	 * Runtime runs it would free what the run still reads (the model retired or replaced
	 * while a request is being answered).
	 */
	private final java.util.concurrent.locks.ReadWriteLock running = new java.util.concurrent.locks.ReentrantReadWriteLock();

	private boolean closed;

	private OnnxClassifier(Path file, OrtEnvironment environment, OrtSession session, List<Input> inputs,
			Map<String, Layout> layouts, String labelOutput, String probabilityOutput, Probabilities probabilities,
			List<String> classes, OnnxGraphFacts facts) {
		this.file = file;
		this.environment = environment;
		this.session = session;
		this.inputs = inputs;
		this.layouts = layouts;
		this.oneRowAtATime = layouts.values().stream().anyMatch(Layout::singleRow);
		this.labelOutput = labelOutput;
		this.probabilityOutput = probabilityOutput;
		this.probabilities = probabilities;
		this.classes = classes;
		this.facts = facts;
	}

	/**
	 * @throws OnnxModelException for a pickle (never opened), a file that is not ONNX,
	 * one ONNX Runtime refuses, or a model that is not a classifier with probabilities
	 */
	public static OnnxClassifier open(Path file) throws IOException {
		String name = file.getFileName().toString();
		refusePickles(file, name);
		OnnxGraphFacts facts;
		try {
			facts = OnnxGraphFacts.read(file);
		}
		catch (OnnxModelException ex) {
			throw new OnnxModelException(name + " is " + ex.getMessage(), ex);
		}
		if (facts.operators().isEmpty() || facts.opsets().isEmpty()) {
			throw new OnnxModelException(name + " is not an ONNX model: it declares no graph or no operator set");
		}
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		OrtSession session;
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(1);
			options.setInterOpNumThreads(1);
			session = environment.createSession(file.toString(), options);
		}
		catch (OrtException ex) {
			throw new OnnxModelException("ONNX Runtime cannot load " + name + ": " + ex.getMessage(), ex);
		}
		try {
			Map<String, Layout> layouts = new LinkedHashMap<>();
			List<Input> inputs = inputsOf(session, name, layouts);
			String label = null;
			String probabilityOutput = null;
			Probabilities kind = null;
			int tensorClasses = -1;
			for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
				var info = output.getValue().getInfo();
				if (info instanceof TensorInfo tensor) {
					long[] shape = tensor.getShape();
					if (label == null && shape.length == 1
							&& (tensor.type == OnnxJavaType.STRING || tensor.type == OnnxJavaType.INT64)) {
						label = output.getKey();
					}
					else if (probabilityOutput == null && shape.length == 2 && tensor.type == OnnxJavaType.FLOAT) {
						probabilityOutput = output.getKey();
						kind = Probabilities.TENSOR;
						tensorClasses = (int) shape[1];
					}
				}
				else if (info instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()
						&& sequence.mapInfo.valueType == OnnxJavaType.FLOAT && probabilityOutput == null) {
					probabilityOutput = output.getKey();
					kind = Probabilities.ZIPMAP;
				}
			}
			if (label == null || probabilityOutput == null) {
				throw new OnnxModelException(name + " is not a classifier with probabilities: its outputs are "
						+ session.getOutputInfo().keySet() + " where a label (INT64 or STRING [N]) and probabilities"
						+ " (ZipMap, or FLOAT [N, classes]) are expected; a regressor is not served yet");
			}
			List<String> classes = facts.classLabels();
			if (classes.isEmpty() && tensorClasses > 0) {
				classes = IntStream.range(0, tensorClasses).mapToObj(Integer::toString).toList();
			}
			if (classes.isEmpty()) {
				throw new OnnxModelException(name + " does not say its classes (no classlabels on its classifier)");
			}
			if (tensorClasses > 0 && tensorClasses != classes.size()) {
				throw new OnnxModelException(name + " declares " + classes.size() + " classes " + classes
						+ " but gives " + tensorClasses + " probabilities per row");
			}
			return new OnnxClassifier(file, environment, session, inputs, Map.copyOf(layouts), label, probabilityOutput,
					kind, classes, facts);
		}
		catch (OrtException | RuntimeException ex) {
			closeQuietly(session);
			if (ex instanceof OnnxModelException refused) {
				throw refused;
			}
			throw new OnnxModelException("ONNX Runtime cannot describe " + name + ": " + ex.getMessage(), ex);
		}
	}

	private static List<Input> inputsOf(OrtSession session, String name, Map<String, Layout> layouts)
			throws OrtException {
		List<Input> inputs = new ArrayList<>();
		for (Map.Entry<String, NodeInfo> entry : session.getInputInfo().entrySet()) {
			if (!(entry.getValue().getInfo() instanceof TensorInfo tensor)) {
				throw new OnnxModelException(name + "'s input " + entry.getKey() + " is not a tensor but "
						+ entry.getValue().getInfo() + ": only tensors of columns are served");
			}
			ValueType type = switch (tensor.type) {
				case FLOAT -> ValueType.FLOAT;
				case DOUBLE -> ValueType.DOUBLE;
				case INT64 -> ValueType.INT64;
				case INT32 -> ValueType.INT32;
				case STRING -> ValueType.STRING;
				case BOOL -> ValueType.BOOL;
				default -> throw new OnnxModelException(
						name + "'s input " + entry.getKey() + " holds " + tensor.type + ", which is not served");
			};
			long[] shape = tensor.getShape();
			if (shape.length >= 1 && shape[0] > 1) {
				throw new OnnxModelException(name + "'s input " + entry.getKey() + " takes batches of exactly "
						+ shape[0] + " rows: export it with a free batch size (None)");
			}
			int width;
			if (shape.length == 1) {
				width = 1;
			}
			else if (shape.length == 2 && shape[1] > 0) {
				width = Math.toIntExact(shape[1]);
			}
			else {
				throw new OnnxModelException(name + "'s input " + entry.getKey() + " has the shape "
						+ java.util.Arrays.toString(shape).replace("-1", "N")
						+ ", where [N], [N, 1] or [N, k] with a fixed k is expected");
			}
			inputs.add(new Input(entry.getKey(), type, width));
			layouts.put(entry.getKey(), new Layout(shape.length == 1, shape[0] == 1));
		}
		return List.copyOf(inputs);
	}

	private static void refusePickles(Path file, String name) throws IOException {
		String lower = name.toLowerCase(Locale.ROOT);
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(2);
		}
		boolean pickle = head.length == 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
		if (pickle || lower.endsWith(".pkl") || lower.endsWith(".pickle") || lower.endsWith(".joblib")) {
			throw new OnnxModelException(name + " is a Python pickle: loading a pickle runs the code it contains, so"
					+ " it is never opened here. Export the model to ONNX: skl2onnx.to_onnx(model, X[:1]) for"
					+ " scikit-learn, onnxmltools for XGBoost, LightGBM or CatBoost (see the README)");
		}
	}

	public Path file() {
		return file;
	}

	public List<Input> inputs() {
		return inputs;
	}

	public List<String> classes() {
		return classes;
	}

	public Probabilities probabilities() {
		return probabilities;
	}

	public String labelOutput() {
		return labelOutput;
	}

	public String probabilityOutput() {
		return probabilityOutput;
	}

	public OnnxGraphFacts facts() {
		return facts;
	}

	/**
	 * Each row's answer, in order.
	 * @param rows for each input, by name, its value: a number, string or boolean for an
	 * input one value wide, a list of {@code width} numbers otherwise
	 * @throws IllegalArgumentException for a row that misses an input or gives it the
	 * wrong kind or number of values
	 */
	public List<Prediction> predict(List<? extends Map<String, ?>> rows) {
		if (rows.isEmpty()) {
			return List.of();
		}
		running.readLock().lock();
		try {
			if (closed) {
				throw new ClosedException(file.getFileName() + " was closed");
			}
			return run(rows);
		}
		finally {
			running.readLock().unlock();
		}
	}

	/** A prediction asked of a classifier already closed (retired or replaced). */
	public static final class ClosedException extends IllegalStateException {

		ClosedException(String message) {
			super(message);
		}

	}

	private List<Prediction> run(List<? extends Map<String, ?>> rows) {
		if (oneRowAtATime && rows.size() > 1) {
			// an exporter fixed the batch size at 1
			List<Prediction> each = new ArrayList<>(rows.size());
			for (Map<String, ?> row : rows) {
				each.addAll(run(List.of(row)));
			}
			return each;
		}
		Map<String, OnnxTensor> feed = new LinkedHashMap<>();
		try {
			for (Input input : inputs) {
				feed.put(input.name(), tensor(input, rows));
			}
			try (OrtSession.Result result = session.run(feed)) {
				String[] labels = labels(result.get(labelOutput).orElseThrow());
				List<Map<String, Double>> probabilitiesByRow = probabilities(
						result.get(probabilityOutput).orElseThrow(), rows.size());
				List<Prediction> predictions = new ArrayList<>(rows.size());
				for (int i = 0; i < rows.size(); i++) {
					predictions.add(new Prediction(labels[i], probabilitiesByRow.get(i)));
				}
				return predictions;
			}
		}
		catch (OrtException ex) {
			throw new IllegalStateException("ONNX Runtime failed on " + file.getFileName() + ": " + ex.getMessage(),
					ex);
		}
		finally {
			feed.values().forEach(OnnxTensor::close);
		}
	}

	private OnnxTensor tensor(Input input, List<? extends Map<String, ?>> rows) throws OrtException {
		int n = rows.size();
		int width = input.width();
		long[] shape = layouts.get(input.name()).flat() ? new long[] { n } : new long[] { n, width };
		Object[] values = new Object[n * width];
		for (int r = 0; r < n; r++) {
			Object value = rows.get(r).get(input.name());
			if (value == null) {
				throw new IllegalArgumentException("row " + r + " has no value for " + input.name());
			}
			if (width == 1 && !(value instanceof Collection<?>)) {
				values[r] = value;
			}
			else {
				if (!(value instanceof Collection<?> list) || list.size() != width) {
					throw new IllegalArgumentException(
							"row " + r + ": " + input.name() + " takes " + width + " values, not " + value);
				}
				int c = 0;
				for (Object v : list) {
					values[r * width + c++] = v;
				}
			}
		}
		return switch (input.type()) {
			case FLOAT -> {
				float[] data = new float[values.length];
				for (int i = 0; i < data.length; i++) {
					data[i] = number(input, values[i]).floatValue();
				}
				yield OnnxTensor.createTensor(environment, FloatBuffer.wrap(data), shape);
			}
			case DOUBLE -> {
				double[] data = new double[values.length];
				for (int i = 0; i < data.length; i++) {
					data[i] = number(input, values[i]).doubleValue();
				}
				yield OnnxTensor.createTensor(environment, DoubleBuffer.wrap(data), shape);
			}
			case INT64 -> {
				long[] data = new long[values.length];
				for (int i = 0; i < data.length; i++) {
					data[i] = number(input, values[i]).longValue();
				}
				yield OnnxTensor.createTensor(environment, LongBuffer.wrap(data), shape);
			}
			case INT32 -> {
				int[] data = new int[values.length];
				for (int i = 0; i < data.length; i++) {
					data[i] = number(input, values[i]).intValue();
				}
				yield OnnxTensor.createTensor(environment, IntBuffer.wrap(data), shape);
			}
			case STRING -> {
				String[] data = new String[values.length];
				for (int i = 0; i < data.length; i++) {
					data[i] = String.valueOf(values[i]);
				}
				yield OnnxTensor.createTensor(environment, data, shape);
			}
			case BOOL -> {
				boolean[] data = new boolean[values.length];
				for (int i = 0; i < values.length; i++) {
					if (!(values[i] instanceof Boolean b)) {
						throw new IllegalArgumentException(input.name() + " takes true or false, not " + values[i]);
					}
					data[i] = b;
				}
				yield shape.length == 1 ? OnnxTensor.createTensor(environment, data)
						: OnnxTensor.createTensor(environment, reshape(data, n, width));
			}
		};
	}

	private static boolean[][] reshape(boolean[] data, int rows, int width) {
		boolean[][] shaped = new boolean[rows][width];
		for (int i = 0; i < data.length; i++) {
			shaped[i / width][i % width] = data[i];
		}
		return shaped;
	}

	private static Number number(Input input, Object value) {
		if (value instanceof Number number) {
			return number;
		}
		if (value instanceof Boolean b) {
			return b ? 1 : 0;
		}
		throw new IllegalArgumentException(input.name() + " takes numbers, not " + value);
	}

	private static String[] labels(OnnxValue value) throws OrtException {
		Object raw = value.getValue();
		if (raw instanceof String[] strings) {
			return strings;
		}
		long[] longs = (long[]) raw;
		String[] labels = new String[longs.length];
		for (int i = 0; i < longs.length; i++) {
			labels[i] = Long.toString(longs[i]);
		}
		return labels;
	}

	private List<Map<String, Double>> probabilities(OnnxValue value, int rows) throws OrtException {
		List<Map<String, Double>> byRow = new ArrayList<>(rows);
		if (probabilities == Probabilities.TENSOR) {
			float[][] matrix = (float[][]) value.getValue();
			for (float[] row : matrix) {
				if (row.length != classes.size()) {
					throw new IllegalStateException(file.getFileName() + " gives " + row.length
							+ " probabilities per row, not one for each of " + classes);
				}
				Map<String, Double> p = new LinkedHashMap<>();
				for (int c = 0; c < classes.size(); c++) {
					p.put(classes.get(c), (double) row[c]);
				}
				byRow.add(p);
			}
			return byRow;
		}
		for (OnnxValue element : ((OnnxSequence) value).getValue()) {
			// each map is a native value of its own, which closing the sequence leaves
			try (OnnxMap zipped = (OnnxMap) element) {
				Map<? extends Object, ? extends Object> map = zipped.getValue();
				Map<String, Double> p = new LinkedHashMap<>();
				for (String c : classes) {
					Object probability = map.get(c);
					if (probability == null) {
						probability = map.get(parseLongOrNull(c));
					}
					if (probability == null) {
						throw new IllegalStateException(file.getFileName() + "'s ZipMap gives the classes "
								+ map.keySet() + ", not " + classes);
					}
					p.put(c, ((Number) probability).doubleValue());
				}
				byRow.add(p);
			}
		}
		return byRow;
	}

	private static Long parseLongOrNull(String text) {
		try {
			return Long.valueOf(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Waits for the predictions running, then releases the session; later ones are
	 * refused.
	 */
	@Override
	public void close() {
		running.writeLock().lock();
		try {
			if (!closed) {
				closed = true;
				closeQuietly(session);
			}
		}
		finally {
			running.writeLock().unlock();
		}
	}

	private static void closeQuietly(OrtSession session) {
		try {
			session.close();
		}
		catch (OrtException ex) {
			// nothing is left to release that the process's end would not
		}
	}

}
