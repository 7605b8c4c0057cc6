package org.mlpages.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX file says of itself that ONNX Runtime's Java API does not tell: who wrote
 * it, its operator sets, the operators it uses, and the class labels its classifier node
 * (LinearClassifier, TreeEnsembleClassifier, SVMClassifier, ZipMap) declares. Read from
 * the protocol buffer's wire format directly, skipping the weights, so that a 50 MB tree
 * ensemble is scanned, not loaded.
 *
 * @param producer the converter, as {@code skl2onnx 1.19.1}
 * @param opsets each operator domain ({@code ""} for the standard one) and its version
 * @param operators the operators of the main graph, each once, in the order met
 * @param classLabels the classes in the model's output order, or empty when no node
 * declares them
 * @param linearClassifiers for each LinearClassifier node, its {@code post_transform}
 * ({@code LOGISTIC}, {@code SOFTMAX}, {@code NONE} when it has none ...)
 */
public record OnnxGraphFacts(String producer, Map<String, Long> opsets, Set<String> operators, List<String> classLabels,
		List<String> linearClassifiers) {

	/**
	 * The operators through which a two-class model's log-odds stay a sum of one term per
	 * input column: encoders, scalers and reshaping before one linear classifier.
	 */
	private static final Set<String> LINEAR = Set.of("LinearClassifier", "Scaler", "OneHotEncoder", "Concat", "Reshape",
			"Cast", "ZipMap", "Unsqueeze", "Squeeze", "Identity", "Flatten", "FeatureVectorizer");

	/**
	 * Whether the model is a linear classifier (a logistic regression, with its encoders
	 * and scalers) whose probabilities come through a logistic or a softmax: then the
	 * log-odds of a two-class decision are a sum of one term per column, and how much
	 * each answer moves them is exact.
	 */
	public boolean linearInLogOdds() {
		// one classifier: a second one fed by the first's probabilities would sum
		// sigmoids
		return linearClassifiers.size() == 1 && LINEAR.containsAll(operators)
				&& Set.of("LOGISTIC", "SOFTMAX").contains(linearClassifiers.get(0));
	}

	private static final Set<String> CLASS_LABEL_ATTRIBUTES = Set.of("classlabels_strings", "classlabels_ints",
			"classlabels_int64s");

	public static OnnxGraphFacts read(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return read(new Wire(in, Files.size(file)));
		}
	}

	private static OnnxGraphFacts read(Wire model) throws IOException {
		String producerName = "";
		String producerVersion = "";
		Map<String, Long> opsets = new LinkedHashMap<>();
		Set<String> operators = new LinkedHashSet<>();
		List<String> labels = new ArrayList<>();
		List<String> linearClassifiers = new ArrayList<>();
		while (model.hasMore()) {
			int tag = model.tag();
			switch (tag) {
				case 2 -> producerName = model.string();
				case 3 -> producerVersion = model.string();
				case 7 -> readGraph(model.message(), operators, labels, linearClassifiers);
				case 8 -> {
					Wire opset = model.message();
					String domain = "";
					long version = 0;
					while (opset.hasMore()) {
						switch (opset.tag()) {
							case 1 -> domain = opset.string();
							case 2 -> version = opset.varint();
							default -> opset.skip();
						}
					}
					opsets.put(domain, version);
				}
				default -> model.skip();
			}
		}
		return new OnnxGraphFacts((producerName + " " + producerVersion).strip(), opsets, operators,
				List.copyOf(labels), List.copyOf(linearClassifiers));
	}

	private static void readGraph(Wire graph, Set<String> operators, List<String> labels,
			List<String> linearClassifiers) throws IOException {
		while (graph.hasMore()) {
			if (graph.tag() != 1) {
				graph.skip();
				continue;
			}
			Wire node = graph.message();
			String op = "";
			String postTransform = "NONE";
			List<String> nodeLabels = new ArrayList<>();
			while (node.hasMore()) {
				switch (node.tag()) {
					case 4 -> op = node.string();
					case 5 -> postTransform = readAttribute(node.message(), nodeLabels, postTransform);
					default -> node.skip();
				}
			}
			operators.add(op);
			if (op.equals("LinearClassifier")) {
				linearClassifiers.add(postTransform);
			}
			// the classifier's own labels first; ZipMap repeats them
			if (labels.isEmpty() && !nodeLabels.isEmpty()) {
				labels.addAll(nodeLabels);
			}
		}
	}

	/**
	 * @return the node's post_transform: this attribute's, or the one read before
	 */
	private static String readAttribute(Wire attribute, List<String> labels, String postTransform) throws IOException {
		String name = "";
		String text = null;
		List<String> values = new ArrayList<>();
		while (attribute.hasMore()) {
			int field = attribute.tag();
			int wireType = attribute.lastWireType();
			switch (field) {
				case 1 -> name = attribute.string();
				// repeated int64: packed (one length-delimited run) or one varint each
				case 8 -> {
					if (wireType == 2) {
						Wire packed = attribute.message();
						while (packed.hasMore()) {
							values.add(Long.toString(packed.varint()));
						}
					}
					else {
						values.add(Long.toString(attribute.varint()));
					}
				}
				case 4 -> text = attribute.string();
				case 9 -> values.add(attribute.string());
				default -> attribute.skip();
			}
		}
		if (CLASS_LABEL_ATTRIBUTES.contains(name)) {
			labels.addAll(values);
		}
		return "post_transform".equals(name) && text != null ? text : postTransform;
	}

	/** A protocol buffer message read field by field, within the bytes it spans. */
	private static final class Wire {

		private final InputStream in;

		private long remaining;

		private int wireType;

		Wire(InputStream in, long length) {
			this.in = in;
			this.remaining = length;
		}

		boolean hasMore() {
			return remaining > 0;
		}

		/** The next field's number. */
		int tag() throws IOException {
			long key = varint();
			wireType = (int) (key & 7);
			return (int) (key >>> 3);
		}

		int lastWireType() {
			return wireType;
		}

		long varint() throws IOException {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				int b = read();
				value |= (long) (b & 0x7f) << shift;
				if ((b & 0x80) == 0) {
					return value;
				}
			}
			throw new OnnxModelException("not an ONNX model: a malformed number in its structure");
		}

		String string() throws IOException {
			long length = length();
			if (length > 1 << 20) {
				skipBytes(length);
				return "";
			}
			byte[] bytes = new byte[(int) length];
			int n = in.readNBytes(bytes, 0, bytes.length);
			consume(n, length);
			return new String(bytes, StandardCharsets.UTF_8);
		}

		/**
		 * The length-delimited field just tagged, as a message of its own, which the
		 * caller reads to its end.
		 */
		Wire message() throws IOException {
			long length = length();
			remaining -= length;
			return new Wire(in, length);
		}

		void skip() throws IOException {
			switch (wireType) {
				case 0 -> varint();
				case 1 -> skipBytes(8);
				case 2 -> skipBytes(length());
				case 5 -> skipBytes(4);
				default -> throw new OnnxModelException("not an ONNX model: wire type " + wireType);
			}
		}

		private long length() throws IOException {
			long length = varint();
			if (length < 0 || length > remaining) {
				throw truncated();
			}
			return length;
		}

		private void skipBytes(long n) throws IOException {
			if (n > remaining) {
				throw truncated();
			}
			try {
				in.skipNBytes(n);
			}
			catch (java.io.EOFException ex) {
				throw truncated();
			}
			remaining -= n;
		}

		private int read() throws IOException {
			if (remaining <= 0) {
				throw truncated();
			}
			int b = in.read();
			if (b < 0) {
				throw truncated();
			}
			remaining--;
			return b;
		}

		private void consume(long read, long wanted) {
			if (read < wanted) {
				throw truncated();
			}
			remaining -= read;
		}

		private static OnnxModelException truncated() {
			return new OnnxModelException("not an ONNX model, or one cut short: its structure ends mid-field");
		}

	}

}
