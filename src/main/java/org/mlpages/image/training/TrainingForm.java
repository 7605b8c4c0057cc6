package org.mlpages.image.training;

import jakarta.validation.constraints.NotBlank;
import org.mlpages.catalog.NamedModelForm;

/**
 * What an administrator chooses besides the photos: the new model's name (its page's
 * address and file name), its titles, and the model whose layers give the features.
 */
public class TrainingForm extends NamedModelForm {

	@NotBlank
	private String baseModel;

	public String getBaseModel() {
		return baseModel;
	}

	public void setBaseModel(String baseModel) {
		this.baseModel = baseModel;
	}

}
