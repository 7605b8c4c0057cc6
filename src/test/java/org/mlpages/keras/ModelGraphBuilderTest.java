package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model-level structure: Sequential and Functional, nesting, config formats of several
 * Keras versions.
 */
class ModelGraphBuilderTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Weights keyed by "topLevel|layer|nested", recording what the builder asked for. */
	private final Map<String, LayerWeights> store = new HashMap<>();

	private final List<String> requests = new ArrayList<>();

	private final WeightSource weights = path -> {
		String key = path.top().name() + "|" + path.leaf().name() + "|" + path.isNested();
		requests.add(key);
		return store.getOrDefault(key, LayerWeights.none(path.leaf().name()));
	};

	private void dense(String top, String layer, boolean nested, float... kernel) {
		store.put(top + "|" + layer + "|" + nested, new LayerWeights(layer,
				Map.of("kernel", new Weight("kernel", new long[] { kernel.length, 1 }, kernel))));
	}

	private static String denseLayer(String name, String inboundNodes) {
		return "{\"class_name\":\"Dense\",\"name\":\"" + name + "\",\"config\":{\"name\":\"" + name
				+ "\",\"units\":1,\"use_bias\":false,\"activation\":\"linear\"}"
				+ (inboundNodes == null ? "" : ",\"inbound_nodes\":" + inboundNodes) + "}";
	}

	private static String inputLayer(String name, int features) {
		return "{\"class_name\":\"InputLayer\",\"name\":\"" + name + "\",\"config\":{\"name\":\"" + name
				+ "\",\"batch_input_shape\":[null," + features + "],\"dtype\":\"float32\"},\"inbound_nodes\":[]}";
	}

	private float[] run(String modelJson, long[] shape, float... x) {
		TestSupport.loadNatives();
		ModelDefinition model = ModelDefinition.parse(JSON.readTree(modelJson));
		ModelGraphBuilder builder = new ModelGraphBuilder(LayerConverters.defaults(), weights);
		builder.inspect(model);
		try (Graph g = new Graph();
				Session s = new Session(g);
				TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false))) {
			ModelGraphBuilder.Built built = builder.build(Ops.create(g), model, "input", "output");
			try (Result r = s.runner().feed(built.input(), in).fetch(built.output()).run()) {
				TFloat32 y = (TFloat32) r.get(0);
				float[] out = new float[(int) y.shape().size()];
				y.copyTo(DataBuffers.of(out, false, false));
				return out;
			}
		}
	}

	@Test
	void functionalWithABranchInKeras2Format() {
		// y = a(x) + b(x), a = [1, 2], b = [10, 20]
		String model = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":[" + inputLayer("in", 2)
				+ "," + denseLayer("a", "[[[\"in\",0,0,{}]]]") + "," + denseLayer("b", "[[[\"in\",0,0,{}]]]") + ","
				+ "{\"class_name\":\"Add\",\"name\":\"sum\",\"config\":{\"name\":\"sum\"},"
				+ "\"inbound_nodes\":[[[\"a\",0,0,{}],[\"b\",0,0,{}]]]}"
				+ "],\"input_layers\":[[\"in\",0,0]],\"output_layers\":[[\"sum\",0,0]]}}";
		dense("a", "a", false, 1, 2);
		dense("b", "b", false, 10, 20);
		assertThat(run(model, new long[] { 1, 2 }, 1, 1)).containsExactly(33);
	}

	@Test
	void functionalInKeras3Format() {
		String ref = "{\"class_name\":\"__keras_tensor__\",\"config\":{\"shape\":[null,2],\"dtype\":\"float32\","
				+ "\"keras_history\":[\"%s\",0,0]}}";
		String model = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":["
				+ "{\"class_name\":\"InputLayer\",\"name\":\"in\",\"config\":{\"name\":\"in\",\"batch_shape\":[null,2]},"
				+ "\"inbound_nodes\":[]}," + denseLayer("a", "[{\"args\":[" + ref.formatted("in") + "],\"kwargs\":{}}]")
				+ "," + denseLayer("b", "[{\"args\":[" + ref.formatted("in") + "],\"kwargs\":{}}]") + ","
				+ "{\"class_name\":\"Add\",\"name\":\"sum\",\"config\":{\"name\":\"sum\"},\"inbound_nodes\":"
				+ "[{\"args\":[[" + ref.formatted("a") + "," + ref.formatted("b") + "]],\"kwargs\":{}}]}"
				+ "],\"input_layers\":[\"in\",0,0],\"output_layers\":[\"sum\",0,0]}}";
		dense("a", "a", false, 1, 2);
		dense("b", "b", false, 10, 20);
		assertThat(run(model, new long[] { 1, 2 }, 2, 0)).containsExactly(22);
	}

	@Test
	void keras22SequentialIsABareListWithTheShapeOnTheFirstLayer() {
		String model = "{\"class_name\":\"Sequential\",\"config\":[{\"class_name\":\"Dense\",\"config\":"
				+ "{\"name\":\"d\",\"units\":1,\"use_bias\":false,\"batch_input_shape\":[null,3]}}]}";
		dense("d", "d", false, 1, 2, 3);
		ModelDefinition def = ModelDefinition.parse(JSON.readTree(model));
		assertThat(ModelGraphBuilder.inputShape(def)).containsExactly(-1, 3);
		assertThat(run(model, new long[] { 1, 3 }, 1, 1, 1)).containsExactly(6);
	}

	@Test
	void nestedModelsTakeWeightsFromTheirTopLevelGroup() {
		// outer Sequential > [InputLayer, inner Functional > [InputLayer, Dense
		// inner_dense], Dense head]
		String inner = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"inner\",\"layers\":["
				+ inputLayer("inner_in", 2) + "," + denseLayer("inner_dense", "[[[\"inner_in\",0,0,{}]]]")
				+ "],\"input_layers\":[[\"inner_in\",0,0]],\"output_layers\":[[\"inner_dense\",0,0]]}}";
		String model = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"outer\",\"layers\":["
				+ inputLayer("outer_in", 2) + "," + inner + "," + denseLayer("head", null) + "]}}";
		dense("inner", "inner_dense", true, 3, 4);
		dense("head", "head", false, 10);
		assertThat(run(model, new long[] { 1, 2 }, 1, 1)).containsExactly(70);
		assertThat(requests).containsExactly("inner|inner_dense|true", "head|head|false");
	}

	@Test
	void aNestedFunctionalIsReferencedByItsSecondCall() {
		// Keras numbers a nested functional model's first call in the outer model as node
		// 1
		String inner = "{\"class_name\":\"Functional\",\"name\":\"inner\",\"config\":{\"name\":\"inner\",\"layers\":["
				+ inputLayer("inner_in", 2) + "," + denseLayer("inner_dense", "[[[\"inner_in\",0,0,{}]]]")
				+ "],\"input_layers\":[[\"inner_in\",0,0]],\"output_layers\":[[\"inner_dense\",0,0]]},"
				+ "\"inbound_nodes\":[[[\"in\",0,0,{}]]]}";
		String model = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":[" + inputLayer("in", 2)
				+ "," + inner + "," + denseLayer("head", "[[[\"inner\",1,0,{}]]]")
				+ "],\"input_layers\":[[\"in\",0,0]],\"output_layers\":[[\"head\",0,0]]}}";
		dense("inner", "inner_dense", true, 1, 1);
		dense("head", "head", false, 2);
		assertThat(run(model, new long[] { 1, 2 }, 3, 4)).containsExactly(14);
	}

	@Test
	void unsupportedLayerIsReportedWithNameAndClassBeforeAnyGraphWork() {
		String model = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"outer\",\"layers\":["
				+ inputLayer("in", 2) + ","
				+ "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"inner\",\"layers\":["
				+ "{\"class_name\":\"LSTM\",\"config\":{\"name\":\"my_lstm\",\"units\":4}}]}}]}}";
		ModelGraphBuilder builder = new ModelGraphBuilder(LayerConverters.defaults(), WeightSource.NONE);
		assertThatThrownBy(() -> builder.inspect(ModelDefinition.parse(JSON.readTree(model))))
			.isInstanceOfSatisfying(UnsupportedLayerException.class, e -> {
				assertThat(e.layerName()).isEqualTo("my_lstm");
				assertThat(e.layerClass()).isEqualTo("LSTM");
			})
			.hasMessageContaining("my_lstm")
			.hasMessageContaining("LSTM");
	}

	@Test
	void inspectionListsLeafLayersWithTheirPath() {
		String model = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"outer\",\"layers\":["
				+ inputLayer("in", 2) + ","
				+ "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"inner\",\"layers\":[" + denseLayer("d", null)
				+ ",{\"class_name\":\"Dropout\",\"config\":{\"name\":\"drop\"}}]}}]}}";
		var inspection = new ModelGraphBuilder(LayerConverters.defaults(), WeightSource.NONE)
			.inspect(ModelDefinition.parse(JSON.readTree(model)));
		assertThat(inspection.inputShape()).containsExactly(-1, 2);
		assertThat(inspection.layers()).containsExactly("in (InputLayer)", "inner/d (Dense)", "inner/drop (Dropout)");
	}

	@Test
	void malformedConfigs() {
		ModelGraphBuilder builder = new ModelGraphBuilder(LayerConverters.defaults(), WeightSource.NONE);
		assertThatThrownBy(() -> ModelDefinition.parse(JSON.readTree("{\"class_name\":\"Dense\",\"config\":{}}")))
			.isInstanceOf(KerasImportException.class);
		assertThatThrownBy(() -> ModelDefinition.parse(JSON.readTree("{\"class_name\":\"Sequential\"}")))
			.isInstanceOf(KerasImportException.class);
		assertThatThrownBy(() -> ModelDefinition
			.parse(JSON.readTree("{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":[]}}")))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("input_layers");
		String twoInputs = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":[" + inputLayer("a", 1)
				+ "," + inputLayer("b", 1) + "," + "{\"class_name\":\"Add\",\"name\":\"s\",\"config\":{\"name\":\"s\"},"
				+ "\"inbound_nodes\":[[[\"a\",0,0,{}],[\"b\",0,0,{}]]]}],"
				+ "\"input_layers\":[[\"a\",0,0],[\"b\",0,0]],\"output_layers\":[[\"s\",0,0]]}}";
		assertThatThrownBy(() -> builder.inspect(ModelDefinition.parse(JSON.readTree(twoInputs))))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("2 inputs");
		String noShape = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"s\",\"layers\":["
				+ denseLayer("d", null) + "]}}";
		assertThatThrownBy(() -> builder.inspect(ModelDefinition.parse(JSON.readTree(noShape))))
			.isInstanceOf(KerasImportException.class)
			.hasMessageContaining("input shape");
	}

	@Test
	void danglingReferenceIsReported() {
		String model = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":[" + inputLayer("in", 2)
				+ "," + denseLayer("a", "[[[\"nowhere\",0,0,{}]]]")
				+ "],\"input_layers\":[[\"in\",0,0]],\"output_layers\":[[\"a\",0,0]]}}";
		assertThatThrownBy(() -> run(model, new long[] { 1, 2 }, 1, 1)).isInstanceOf(KerasImportException.class)
			.hasMessageContaining("nowhere");
	}

	@Test
	void theOutputActivationIsFoundBehindLayersThatOnlyReshape() {
		String model = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"s\",\"layers\":[" + inputLayer("in", 4)
				+ "," + "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d\",\"units\":1,\"activation\":\"sigmoid\"}},"
				+ "{\"class_name\":\"Dropout\",\"config\":{\"name\":\"drop\",\"rate\":0.5}},"
				+ "{\"class_name\":\"Flatten\",\"config\":{\"name\":\"f\"}}]}}";
		assertThat(ModelGraphBuilder.outputActivation(ModelDefinition.parse(JSON.readTree(model))))
			.isEqualTo("sigmoid");
	}

}
