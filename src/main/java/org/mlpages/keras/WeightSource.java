package org.mlpages.keras;

/** Where the model builder gets each leaf layer's weights from. */
interface WeightSource {

	/**
	 * @param topLevelLayer the layer of the outermost model that contains this layer (its
	 * own name for top-level layers): Keras stores weights in one HDF5 group per
	 * top-level layer
	 * @param layerName the leaf layer's name
	 * @param nested whether the leaf sits inside a nested model, whose weights share the
	 * group of the top-level layer
	 */
	LayerWeights weightsFor(String topLevelLayer, String layerName, boolean nested);

	WeightSource NONE = (top, layer, nested) -> LayerWeights.none(layer);

}
