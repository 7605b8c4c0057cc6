package org.mlpages.image.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The descriptor a filled-in form becomes, read back as YAML. */
class ModelFormTest {

	@Test
	void becomesTheDescriptorOfAddingAModelWithQuotingLeftToYaml() {
		ModelForm form = new ModelForm();
		form.setName("digits");
		form.setTitleEn("Digits: \"hand-written\"");
		form.setTitleFr("Chiffres : écrits à la main");
		form.setLabelIds(List.of("0", "yes"));
		form.setLabelsEn(List.of("zero", ""));
		form.setLabelsFr(List.of("", "oui"));
		form.setWidth(28);
		form.setHeight(28);
		form.setColor("grey");
		form.setPositive("yes");

		@SuppressWarnings("unchecked")
		java.util.Map<String, Object> d = new Yaml().load(form.toYaml());
		assertThat(d.get("title"))
			.isEqualTo(java.util.Map.of("en", "Digits: \"hand-written\"", "fr", "Chiffres : écrits à la main"));
		// ids stay strings ("0", "yes"), not numbers or booleans; blank names fall back
		assertThat(d.get("labels")).isEqualTo(List.of(java.util.Map.of("id", "0", "en", "zero", "fr", "zero"),
				java.util.Map.of("id", "yes", "en", "yes", "fr", "oui")));
		assertThat(d.get("input"))
			.isEqualTo(java.util.Map.of("resize", "center-crop", "width", 28, "height", 28, "color", "grey"));
		assertThat(d.get("positive")).isEqualTo("yes");
	}

	/** The modes of Keras's preprocess_input, as keras.applications defines them. */
	@Test
	void aPreprocessingModeReplacesTheScaleOffsetAndColours() {
		ModelForm form = new ModelForm();
		form.setTitleEn("VGG16 pets");
		form.setLabelIds(List.of("cat", "dog"));
		form.setScale(0.5f);
		form.setOffset(3f);
		form.setColor("rgb");

		form.setPreprocessing("caffe");
		assertThat(input(form)).isEqualTo(java.util.Map.of("resize", "center-crop", "color", "bgr", "scale", 1.0,
				"offset", 0.0, "mean", List.of(103.939, 116.779, 123.68)));
		form.setPreprocessing("torch");
		assertThat(input(form)).isEqualTo(java.util.Map.of("resize", "center-crop", "color", "rgb", "scale",
				0.003921569, "offset", 0.0, "mean", List.of(0.485, 0.456, 0.406), "std", List.of(0.229, 0.224, 0.225)));
		form.setPreprocessing("tf");
		assertThat(input(form))
			.isEqualTo(java.util.Map.of("resize", "center-crop", "color", "rgb", "scale", 0.007843138, "offset", -1.0));
		form.setPreprocessing("");
		assertThat(input(form))
			.isEqualTo(java.util.Map.of("resize", "center-crop", "color", "rgb", "scale", 0.5, "offset", 3.0));
	}

	private static Object input(ModelForm form) {
		java.util.Map<String, Object> d = new Yaml().load(form.toYaml());
		return d.get("input");
	}

}
