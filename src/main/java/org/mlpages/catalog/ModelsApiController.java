package org.mlpages.catalog;

import java.util.List;
import java.util.Locale;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ModelsApiController {

	private final ModelCards modelCards;

	ModelsApiController(ModelCards modelCards) {
		this.modelCards = modelCards;
	}

	@GetMapping("/api/v1/models")
	List<ModelCard> models(Locale locale) {
		return modelCards.all(locale);
	}

}
