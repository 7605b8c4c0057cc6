package org.mlpages.training;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an administrator chooses besides the photos: the new model's name (its page's
 * address and file name), its titles, and the model whose layers give the features.
 */
public class TrainingForm {

	@NotBlank
	@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
	private String name;

	@NotBlank
	@Size(max = 80)
	private String titleEn;

	@Size(max = 80)
	private String titleFr;

	@NotBlank
	private String baseModel;

	public String getName() {
		return name;
	}

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

	public String getBaseModel() {
		return baseModel;
	}

	public void setBaseModel(String baseModel) {
		this.baseModel = baseModel;
	}

}
