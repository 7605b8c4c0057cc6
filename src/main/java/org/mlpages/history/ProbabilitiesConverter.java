package org.mlpages.history;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores the probabilities as a JSON object, readable with any SQL client and the same on
 * every database.
 */
@Converter
class ProbabilitiesConverter implements AttributeConverter<Map<String, Double>, String> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, Double>> TYPE = new TypeReference<>() {
	};

	@Override
	public String convertToDatabaseColumn(Map<String, Double> probabilities) {
		return JSON.writeValueAsString(probabilities);
	}

	@Override
	public Map<String, Double> convertToEntityAttribute(String json) {
		return JSON.readValue(json, TYPE);
	}

}
