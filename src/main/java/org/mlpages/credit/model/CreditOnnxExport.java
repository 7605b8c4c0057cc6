package org.mlpages.credit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

/**
 * The credit model written as ONNX in the shape skl2onnx gives a scikit-learn pipeline of
 * a ColumnTransformer and a LogisticRegression: one input per answer (a string for a
 * category, a float for a number), categories one-hot encoded, numbers z-scored, a binary
 * LinearClassifier with a logistic, and skl2onnx's default ZipMap output. The same
 * function as {@link CreditModel#decide}: the log-odds of good are the intercept plus
 * each number's weight times its z-score plus each category's weight. Written with the
 * ONNX protocol buffers Tribuo's ONNX support brings.
 */
final class CreditOnnxExport {

	private static final String ML = "ai.onnx.ml";

	private CreditOnnxExport() {
	}

	/** One answer's part of the log-odds. */
	record Term(String name, boolean numeric, double weight, double scale, double offset, List<String> categories,
			Map<String, Double> categoryWeights) {

		static Term numeric(String name, double weight, double scale, double offset) {
			return new Term(name, true, weight, scale, offset, List.of(), Map.of());
		}

		static Term categorical(String name, List<String> categories, Map<String, Double> weights) {
			return new Term(name, false, 0, 0, 0, List.copyOf(categories), Map.copyOf(weights));
		}

	}

	static byte[] toOnnx(List<Term> terms, double intercept, String sourceSha256) {
		GraphProto.Builder graph = GraphProto.newBuilder().setName("credit");
		List<String> parts = new ArrayList<>();
		List<Float> weights = new ArrayList<>();
		for (Term term : terms) {
			if (term.numeric()) {
				graph.addInput(tensor(term.name(), TensorProto.DataType.FLOAT));
				// ai.onnx.ml's Scaler computes (x - offset) * scale: here a x + b
				String scaled = term.name() + "_scaled";
				graph.addNode(node("Scaler", ML, List.of(term.name()), List.of(scaled),
						floats("offset", List.of((float) (-term.offset() / term.scale()))),
						floats("scale", List.of((float) term.scale()))));
				parts.add(scaled);
				weights.add((float) term.weight());
			}
			else {
				graph.addInput(tensor(term.name(), TensorProto.DataType.STRING));
				String hot = term.name() + "_hot";
				String flat = term.name() + "_flat";
				graph.addNode(node("OneHotEncoder", ML, List.of(term.name()), List.of(hot),
						strings("cats_strings", term.categories()), integer("zeros", 1)));
				graph.addNode(node("Flatten", "", List.of(hot), List.of(flat), integer("axis", 1)));
				parts.add(flat);
				for (String category : term.categories()) {
					weights.add(term.categoryWeights().get(category).floatValue());
				}
			}
		}
		graph.addNode(node("Concat", "", parts, List.of("features"), integer("axis", 1)));
		// two classes, as skl2onnx writes a binary LogisticRegression: bad's row is
		// good's negated, and the logistic of each score gives the two probabilities
		List<Float> coefficients = new ArrayList<>();
		weights.forEach(w -> coefficients.add(-w));
		coefficients.addAll(weights);
		graph.addNode(node("LinearClassifier", ML, List.of("features"), List.of("label", "probabilities"),
				strings("classlabels_strings", List.of(CreditData.BAD, CreditData.GOOD)),
				floats("coefficients", coefficients),
				floats("intercepts", List.of((float) -intercept, (float) intercept)),
				text("post_transform", "LOGISTIC")));
		graph.addNode(node("ZipMap", ML, List.of("probabilities"), List.of("output_probability"),
				strings("classlabels_strings", List.of(CreditData.BAD, CreditData.GOOD))));
		graph.addOutput(ValueInfoProto.newBuilder()
			.setName("label")
			.setType(TypeProto.newBuilder()
				.setTensorType(TypeProto.Tensor.newBuilder()
					.setElemType(TensorProto.DataType.STRING.getNumber())
					.setShape(TensorShapeProto.newBuilder()
						.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))))));
		graph.addOutput(ValueInfoProto.newBuilder()
			.setName("output_probability")
			.setType(TypeProto.newBuilder()
				.setSequenceType(TypeProto.Sequence.newBuilder()
					.setElemType(TypeProto.newBuilder()
						.setMapType(TypeProto.Map.newBuilder()
							.setKeyType(TensorProto.DataType.STRING.getNumber())
							.setValueType(TypeProto.newBuilder()
								.setTensorType(TypeProto.Tensor.newBuilder()
									.setElemType(TensorProto.DataType.FLOAT.getNumber()))))))));
		return ModelProto.newBuilder()
			.setIrVersion(8)
			.setProducerName("mlpages")
			.setProducerVersion("credit export")
			.setDocString("The credit model (Tribuo, SHA-256 " + sourceSha256 + ") as ONNX")
			.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
			.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML).setVersion(3))
			.setGraph(graph)
			.build()
			.toByteArray();
	}

	private static ValueInfoProto tensor(String name, TensorProto.DataType type) {
		return ValueInfoProto.newBuilder()
			.setName(name)
			.setType(TypeProto.newBuilder()
				.setTensorType(TypeProto.Tensor.newBuilder()
					.setElemType(type.getNumber())
					.setShape(TensorShapeProto.newBuilder()
						.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
						.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1)))))
			.build();
	}

	private static NodeProto node(String op, String domain, List<String> inputs, List<String> outputs,
			AttributeProto... attributes) {
		NodeProto.Builder node = NodeProto.newBuilder()
			.setOpType(op)
			.setDomain(domain)
			.setName(outputs.get(0) + "_" + op)
			.addAllInput(inputs)
			.addAllOutput(outputs);
		for (AttributeProto attribute : attributes) {
			node.addAttribute(attribute);
		}
		return node.build();
	}

	private static AttributeProto floats(String name, List<Float> values) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS).addAllFloats(values).build();
	}

	private static AttributeProto strings(String name, List<String> values) {
		AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeType.STRINGS);
		values.forEach(value -> attribute.addStrings(ByteString.copyFromUtf8(value)));
		return attribute.build();
	}

	private static AttributeProto integer(String name, long value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
	}

	private static AttributeProto text(String name, String value) {
		return AttributeProto.newBuilder()
			.setName(name)
			.setType(AttributeType.STRING)
			.setS(ByteString.copyFromUtf8(value))
			.build();
	}

}
