package org.mlpages.keras;

import java.util.ArrayList;
import java.util.List;
import org.mlpages.keras.ModelDefinition.LayerDef;

/**
 * Where a leaf layer sits in the model tree: each step is a layer and the model that
 * lists it, from the outermost model down to the leaf. The two weight layouts need
 * different parts of it: legacy HDF5 files keep a nested model's weights in the group of
 * its top-level layer, Keras 3 numbers each layer by class within its container.
 */
record LayerPath(List<Step> steps) {

	/** {@code layer} as listed by {@code container}. */
	record Step(ModelDefinition container, LayerDef layer) {
	}

	LayerPath {
		if (steps.isEmpty()) {
			throw new IllegalArgumentException("A layer path has at least one step");
		}
		steps = List.copyOf(steps);
	}

	/**
	 * A layer of the outermost model when {@code parent} is null, else of a nested one.
	 */
	static LayerPath of(LayerPath parent, ModelDefinition container, LayerDef layer) {
		List<Step> steps = new ArrayList<>(parent == null ? List.of() : parent.steps);
		steps.add(new Step(container, layer));
		return new LayerPath(steps);
	}

	LayerDef leaf() {
		return steps.get(steps.size() - 1).layer();
	}

	/** The layer of the outermost model this path goes through. */
	LayerDef top() {
		return steps.get(0).layer();
	}

	boolean isNested() {
		return steps.size() > 1;
	}

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder();
		for (Step step : steps) {
			sb.append(sb.isEmpty() ? "" : "/").append(step.layer().name());
		}
		return sb.toString();
	}

}
