package org.mlpages.keras;

import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds the TensorFlow ops of one kind of Keras layer (inference only, NHWC, float32).
 * Implementations are stateless and registered in {@link LayerConverters}.
 */
public interface LayerConverter {

	/** The Keras {@code class_name}s this converter handles. */
	Set<String> kerasClasses();

	/**
	 * Checks the layer's options before any graph is built, so that a model with an
	 * unsupported option is rejected up front. Throws {@link UnsupportedLayerException}
	 * or {@link KerasImportException}.
	 */
	default void validate(KerasLayer layer) {
	}

	/**
	 * The names this converter reads the layer's weights by, in the order a Keras 3 file
	 * numbers them ({@code vars/0}, {@code vars/1} ...): Keras 3 stores a layer's
	 * trainable variables, then its others, each in the order the layer creates them, and
	 * no names. Empty for a layer without weights.
	 */
	default List<String> keras3Variables(KerasLayer layer) {
		return List.of();
	}

	/**
	 * @param tf ops factory of the graph being built
	 * @param layer name, class and config of the layer
	 * @param weights the layer's weights by short name (empty for layers without weights)
	 * @param inputs the layer's input tensors, in Keras order
	 * @return the layer's single output
	 */
	Operand<TFloat32> convert(Ops tf, KerasLayer layer, LayerWeights weights, List<Operand<TFloat32>> inputs);

	/** The only input of a single-input layer. */
	static Operand<TFloat32> single(KerasLayer layer, List<Operand<TFloat32>> inputs) {
		if (inputs.size() != 1) {
			throw layer.malformed("expects one input, got " + inputs.size());
		}
		return inputs.get(0);
	}

}
