package org.mlpages.keras;

/** Where the model builder gets each leaf layer's weights from. */
interface WeightSource {

	/**
	 * The weights of the leaf at the end of {@code path}, keyed by the short names its
	 * converter reads ({@code kernel}, {@code bias} ...); empty for a layer without
	 * weights.
	 */
	LayerWeights weightsFor(LayerPath path);

	WeightSource NONE = path -> LayerWeights.none(path.leaf().name());

}
