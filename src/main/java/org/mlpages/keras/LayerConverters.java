package org.mlpages.keras;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlpages.keras.layers.ActivationConverter;
import org.mlpages.keras.layers.AddConverter;
import org.mlpages.keras.layers.BatchNormalizationConverter;
import org.mlpages.keras.layers.CenterCropConverter;
import org.mlpages.keras.layers.ConcatenateConverter;
import org.mlpages.keras.layers.Conv2DConverter;
import org.mlpages.keras.layers.DenseConverter;
import org.mlpages.keras.layers.DepthwiseConv2DConverter;
import org.mlpages.keras.layers.DropoutConverter;
import org.mlpages.keras.layers.FlattenConverter;
import org.mlpages.keras.layers.GlobalAveragePooling2DConverter;
import org.mlpages.keras.layers.GlobalMaxPooling2DConverter;
import org.mlpages.keras.layers.InputLayerConverter;
import org.mlpages.keras.layers.LeakyReLUConverter;
import org.mlpages.keras.layers.MergeConverter;
import org.mlpages.keras.layers.Pooling2DConverter;
import org.mlpages.keras.layers.ReLUConverter;
import org.mlpages.keras.layers.RescalingConverter;
import org.mlpages.keras.layers.SoftmaxConverter;
import org.mlpages.keras.layers.ZeroPadding2DConverter;
import org.mlpages.keras.layers.Conv2DTransposeConverter;
import org.mlpages.keras.layers.Cropping2DConverter;
import org.mlpages.keras.layers.ELUConverter;
import org.mlpages.keras.layers.LayerNormalizationConverter;
import org.mlpages.keras.layers.NormalizationConverter;
import org.mlpages.keras.layers.PReLUConverter;
import org.mlpages.keras.layers.PermuteConverter;
import org.mlpages.keras.layers.ReshapeConverter;
import org.mlpages.keras.layers.ResizingConverter;
import org.mlpages.keras.layers.SeparableConv2DConverter;

/** The one place where converters are registered, by Keras class name. */
public final class LayerConverters {

	/**
	 * Model classes are not layers with converters: the model builder recurses into them.
	 */
	public static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");

	private final Map<String, LayerConverter> byClass;

	public LayerConverters(Collection<? extends LayerConverter> converters) {
		Map<String, LayerConverter> map = new LinkedHashMap<>();
		for (LayerConverter c : converters) {
			for (String cls : c.kerasClasses()) {
				if (map.put(cls, c) != null) {
					throw new IllegalArgumentException("Two converters for Keras class " + cls);
				}
			}
		}
		this.byClass = Map.copyOf(map);
	}

	public static LayerConverters defaults() {
		return new LayerConverters(List.of(new InputLayerConverter(), new ZeroPadding2DConverter(),
				new Conv2DConverter(), new DepthwiseConv2DConverter(), new BatchNormalizationConverter(),
				new ReLUConverter(), new ActivationConverter(), new AddConverter(),
				new GlobalAveragePooling2DConverter(), new DenseConverter(), new DropoutConverter(),
				new Pooling2DConverter(), new GlobalMaxPooling2DConverter(), new FlattenConverter(),
				new MergeConverter(), new ConcatenateConverter(), new LeakyReLUConverter(), new SoftmaxConverter(),
				new RescalingConverter(), new Conv2DTransposeConverter(), new Cropping2DConverter(), new ELUConverter(),
				new LayerNormalizationConverter(), new NormalizationConverter(), new PReLUConverter(),
				new PermuteConverter(), new ReshapeConverter(), new ResizingConverter(), new SeparableConv2DConverter(),
				new CenterCropConverter()));
	}

	public Optional<LayerConverter> find(String kerasClass) {
		return Optional.ofNullable(byClass.get(kerasClass));
	}

	public Set<String> supportedClasses() {
		return byClass.keySet();
	}

}
