package org.mlpages.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mlpages.keras.LayerPath.Step;
import org.mlpages.keras.ModelDefinition.LayerDef;

/**
 * A Keras 3 model's weights as Keras's {@code saving_lib} stores them: in
 * {@code model.weights.h5} inside a {@code .keras} archive, in a {@code .weights.h5} from
 * {@code save_weights()}, or over the shards of a sharded one. Weights are not stored
 * under layer names but by position: each container (the model, a nested model) numbers
 * its layers by class in its layer order ({@code layers/conv2d}, {@code layers/conv2d_1},
 * {@code layers/sequential/layers/dense}), and each layer numbers its variables
 * ({@code vars/0}, {@code vars/1}) in the order its converter gives
 * ({@link LayerConverter#keras3Variables}).
 */
final class Keras3WeightsStore implements WeightSource {

	private final List<HdfFile> shards;

	private final LayerConverters converters;

	Keras3WeightsStore(List<HdfFile> shards, LayerConverters converters) {
		this.shards = List.copyOf(shards);
		this.converters = converters;
	}

	/**
	 * Whether {@code hdf} is laid out by {@code saving_lib}: a {@code layers} group, no
	 * {@code model_weights} group and no {@code layer_names} list.
	 */
	static boolean isKeras3Layout(HdfFile hdf) {
		return hdf.getChild("layers") instanceof Group && !(hdf.getChild("model_weights") instanceof Group)
				&& !hdf.getAttributes().containsKey("layer_names");
	}

	@Override
	public LayerWeights weightsFor(LayerPath path) {
		LayerDef leaf = path.leaf();
		String vars = storePath(path) + "/vars";
		List<Weight> stored = read(vars, leaf);
		Optional<LayerConverter> converter = converters.find(leaf.className());
		if (converter.isEmpty()) {
			// refused elsewhere; the weights are still counted for the inspector's report
			Map<String, Weight> byPosition = new LinkedHashMap<>();
			stored.forEach(w -> byPosition.put(w.name(), w));
			return new LayerWeights(leaf.name(), byPosition);
		}
		List<String> names = converter.get().keras3Variables(leaf.layer());
		if (stored.size() != names.size()) {
			throw new KerasImportException("Layer '" + path + "' (" + leaf.className() + ") has " + stored.size()
					+ " variables in " + vars + ", expected " + names.size()
					+ (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")"));
		}
		Map<String, Weight> byName = new LinkedHashMap<>();
		for (int i = 0; i < names.size(); i++) {
			Weight w = stored.get(i);
			byName.put(names.get(i), new Weight(names.get(i), w.shape(), w.data()));
		}
		return new LayerWeights(leaf.name(), byName);
	}

	/**
	 * {@code layers/<name>/layers/<name>...} of the leaf, each name numbered within its
	 * container.
	 */
	static String storePath(LayerPath path) {
		StringBuilder sb = new StringBuilder();
		for (Step step : path.steps()) {
			sb.append(sb.isEmpty() ? "" : "/").append("layers/").append(nameInContainer(step));
		}
		return sb.toString();
	}

	/**
	 * The class in snake case, with {@code _1}, {@code _2} ... for its second, third ...
	 * occurrence among the layers the container saves (a Sequential model leaves out its
	 * input layer, which changes no other class's numbering).
	 */
	static String nameInContainer(Step step) {
		String name = snakeCase(step.layer().className());
		int before = 0;
		for (LayerDef sibling : step.container().layers()) {
			if (sibling == step.layer()) {
				return before == 0 ? name : name + "_" + before;
			}
			if (snakeCase(sibling.className()).equals(name)) {
				before++;
			}
		}
		throw new IllegalArgumentException(step.layer().name() + " is not a layer of " + step.container().name());
	}

	/**
	 * Keras's {@code naming.to_snake_case}: {@code Conv2D} becomes {@code conv2d},
	 * {@code BatchNormalization} {@code batch_normalization}, {@code PReLU}
	 * {@code p_re_lu}.
	 */
	static String snakeCase(String className) {
		String s = className.replaceAll("\\W+", "");
		s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
		return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * The datasets {@code 0}, {@code 1} ... of a {@code vars} group, in that order; a
	 * sharded file may hold one group's variables in several shards.
	 */
	private List<Weight> read(String vars, LayerDef leaf) {
		List<Group> groups = new ArrayList<>();
		Set<String> names = new TreeSet<>();
		for (HdfFile shard : shards) {
			Node node;
			try {
				node = shard.getByPath(vars);
			}
			catch (HdfException e) {
				continue; // not in this shard
			}
			if (node instanceof Group g) {
				groups.add(g);
				names.addAll(g.getChildren().keySet());
			}
		}
		List<Weight> out = new ArrayList<>();
		for (int i = 0; names.contains(Integer.toString(i)); i++) {
			String name = Integer.toString(i);
			Group owner = groups.stream().filter(g -> g.getChild(name) instanceof Dataset).findFirst().orElse(null);
			if (owner == null) {
				break;
			}
			out.add(KerasH5File.readWeight(owner, name));
		}
		if (out.size() != names.size()) {
			throw new KerasImportException(
					"Layer '" + leaf.name() + "': " + vars + " holds " + names + ", not variables numbered from 0");
		}
		return out;
	}

}
