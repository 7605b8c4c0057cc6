package org.mlpages.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpages.keras.ConverterHarness.layer;

import org.junit.jupiter.api.Test;

/**
 * Options the new converters do not implement are refused at validation, naming the
 * layer, its class and what is supported, instead of producing a different function.
 */
class RefusedOptionsTest {

	private final LayerConverters converters = LayerConverters.defaults();

	private void refused(String className, String config, String... messageParts) {
		KerasLayer l = layer(className, config);
		assertThatThrownBy(() -> converters.find(className).orElseThrow().validate(l))
			.isInstanceOf(UnsupportedLayerException.class)
			.hasMessageContaining("test_layer")
			.hasMessageContaining(className)
			.hasMessageContaining(messageParts[0]);
	}

	@Test
	void optionsWithoutAnImplementation() {
		refused("Resizing", "{\"height\":2,\"width\":2,\"interpolation\":\"bicubic\"}", "bilinear, nearest");
		refused("Resizing", "{\"height\":2,\"width\":2,\"pad_to_aspect_ratio\":true}", "pad_to_aspect_ratio");
		refused("Resizing", "{\"height\":2,\"width\":2,\"antialias\":true}", "antialias=False");
		refused("BatchNormalization", "{\"renorm\":true}", "renorm");
		refused("Conv2DTranspose", "{\"kernel_size\":[3,3],\"output_padding\":[1,1]}", "output_padding");
		refused("Conv2DTranspose", "{\"kernel_size\":[3,3],\"dilation_rate\":[2,2]}", "dilation_rate");
		refused("LayerNormalization", "{\"rms_scaling\":true}", "rms_scaling");
		refused("Cropping2D", "{\"cropping\":1,\"data_format\":\"channels_first\"}", "channels_first");
		refused("SeparableConv2D", "{\"kernel_size\":3,\"data_format\":\"channels_first\"}", "channels_first");
		refused("Dense", "{\"units\":1,\"activation\":\"celu\"}", "supported: [");
	}

	@Test
	void layersThatAreNotIdentitiesAtInferenceHaveNoConverter() {
		// RandomCrop crops or resizes at inference up to Keras 3.7, and AutoContrast
		// stretches each image at inference: neither may be passed through
		assertThat(converters.find("RandomCrop")).isEmpty();
		assertThat(converters.find("AutoContrast")).isEmpty();
		assertThat(converters.find("RandomFlip")).isPresent();
	}

	@Test
	void hardSigmoidFollowsTheKerasVersion() {
		assertThat(layer("Activation", "{}").kerasMajor()).isEqualTo(2);
		tools.jackson.databind.JsonNode k3 = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree("{\"config\":{\"layers\":[{\"class_name\":\"__keras_tensor__\"}]}}");
		assertThat(ModelDefinition.kerasMajor(null, k3)).isEqualTo(3);
		assertThat(ModelDefinition.kerasMajor("2.4.0-tf", k3)).isEqualTo(2);
		assertThat(ModelDefinition.kerasMajor("3.6.0", null)).isEqualTo(3);
		assertThat(ModelDefinition.kerasMajor(null, null)).isEqualTo(2);
	}

}
