package org.mlpages.catalog;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.mlpages.system.DescriptorYaml;

/**
 * What every model added from the browser is called: its name (its page's address and its
 * files' names) and its title in each language. The forms of "Add a model" (image and
 * tabular) and of "Train a model" extend it; the pages draw it with the fragment
 * {@code fragments/fields :: modelNaming}.
 */
public abstract class NamedModelForm {

	@NotBlank
	@Pattern(regexp = ModelFiles.NAME_PATTERN, message = "{addmodel.name.pattern}")
	private String name;

	@NotBlank
	@Size(max = 120)
	private String titleEn;

	@Size(max = 120)
	private String titleFr;

	/** The descriptor's {@code title}: the French one only when it was given. */
	protected Map<String, String> title() {
		return DescriptorYaml.words(titleEn, titleFr);
	}

	/**
	 * For the page's {@code pattern} attribute: the browser checks what the server will.
	 */
	public String getNamePattern() {
		return ModelFiles.NAME_PATTERN;
	}

	public String getName() {
		return name;
	}

	// what a person typed, without the spaces around it
	public void setName(String name) {
		this.name = name != null ? name.strip() : null;
	}

	public String getTitleEn() {
		return titleEn;
	}

	public void setTitleEn(String titleEn) {
		this.titleEn = titleEn != null ? titleEn.strip() : null;
	}

	public String getTitleFr() {
		return titleFr;
	}

	public void setTitleFr(String titleFr) {
		this.titleFr = titleFr != null && !titleFr.isBlank() ? titleFr.strip() : null;
	}

}
