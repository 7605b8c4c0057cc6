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

}
