package org.mlpages.image.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Pattern;
import org.mlpages.catalog.NamedModelForm;
import org.mlpages.system.DescriptorYaml;
import org.springframework.format.annotation.NumberFormat;

/**
 * What the administrator says about an uploaded model: its name, titles and labels, and
 * the few input settings the model cannot say itself. Becomes the model's descriptor.
 */
public class ModelForm extends NamedModelForm {

	/** One row per label, in the model's output order. */
	private List<String> labelIds = new ArrayList<>();

	private List<String> labelsEn = new ArrayList<>();

	private List<String> labelsFr = new ArrayList<>();

	/** For one sigmoid unit: the label it is the probability of. */
	private String positive;

	private String resize = "center-crop";

	/** The picture size, for a model that takes any size or a flat vector. */
	@jakarta.validation.constraints.Min(1)
	@jakarta.validation.constraints.Max(4096)
	private Integer width;

	@jakarta.validation.constraints.Min(1)
	@jakarta.validation.constraints.Max(4096)
	private Integer height;

	/** rgb, bgr or grey; empty for what the model takes. */
	private String color;

	/**
	 * A mode of Keras's {@code preprocess_input} (tf, torch, caffe), which sets the
	 * scale, offset, mean, std and colour order the Keras applications were trained with;
	 * empty for the scale and offset given.
	 */
	@Pattern(regexp = "|tf|torch|caffe")
	private String preprocessing;

	/** softmax, sigmoid or logits; empty for what the model's last activation says. */
	private String output;

	/**
	 * Null when the model rescales its input itself. Shown and read in the reader's
	 * locale (0,0078 in French), with all the digits that were given.
	 */
	@NumberFormat(pattern = "0.##########")
	private Float scale;

	@NumberFormat(pattern = "0.##########")
	private Float offset;

	/** Publishing under a name already served replaces that model. */
	private boolean replace;

	/**
	 * The descriptor (YAML) of the README's "Adding a model"; blank labels in English
	 * fall back to the id, blank French ones to the English.
	 */
	String toYaml() {
		Map<String, Object> d = new LinkedHashMap<>();
		d.put("title", title());
		List<Map<String, Object>> labels = new ArrayList<>();
		for (int i = 0; i < labelIds.size(); i++) {
			Map<String, Object> label = new LinkedHashMap<>();
			String id = labelIds.get(i) == null ? "" : labelIds.get(i).trim();
			label.put("id", id);
			String en = at(labelsEn, i);
			label.put("en", en.isBlank() ? id : en);
			String fr = at(labelsFr, i);
			label.put("fr", fr.isBlank() ? label.get("en") : fr);
			labels.add(label);
		}
		d.put("labels", labels);
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("resize", resize == null || resize.isBlank() ? "center-crop" : resize);
		if (width != null) {
			input.put("width", width);
		}
		if (height != null) {
			input.put("height", height);
		}
		String mode = preprocessing == null ? "" : preprocessing;
		if (mode.equals("caffe")) {
			// the colours reversed, then the ImageNet mean of each, in that order
			input.put("color", "bgr");
		}
		else if (color != null && !color.isBlank()) {
			input.put("color", color);
		}
		switch (mode) {
			case "tf" -> {
				input.put("scale", 1 / 127.5f);
				input.put("offset", -1f);
			}
			case "torch" -> {
				input.put("scale", 1 / 255f);
				input.put("offset", 0f);
				input.put("mean", List.of(0.485f, 0.456f, 0.406f));
				input.put("std", List.of(0.229f, 0.224f, 0.225f));
			}
			case "caffe" -> {
				input.put("scale", 1f);
				input.put("offset", 0f);
				input.put("mean", List.of(103.939f, 116.779f, 123.68f));
			}
			default -> {
				if (scale != null) {
					input.put("scale", scale);
				}
				if (offset != null) {
					input.put("offset", offset);
				}
			}
		}
		d.put("input", input);
		if (output != null && !output.isBlank()) {
			d.put("output", output.trim());
		}
		if (positive != null && !positive.isBlank()) {
			d.put("positive", positive.trim());
		}
		return DescriptorYaml.write(d, "Adding a model");
	}

	private static String at(List<String> values, int i) {
		return i < values.size() && values.get(i) != null ? values.get(i).trim() : "";
	}

	public List<String> getLabelIds() {
		return labelIds;
	}

	public void setLabelIds(List<String> labelIds) {
		this.labelIds = labelIds;
	}

	public List<String> getLabelsEn() {
		return labelsEn;
	}

	public void setLabelsEn(List<String> labelsEn) {
		this.labelsEn = labelsEn;
	}

	public List<String> getLabelsFr() {
		return labelsFr;
	}

	public void setLabelsFr(List<String> labelsFr) {
		this.labelsFr = labelsFr;
	}

	public String getPositive() {
		return positive;
	}

	public void setPositive(String positive) {
		this.positive = positive;
	}

	public String getResize() {
		return resize;
	}

	public void setResize(String resize) {
		this.resize = resize;
	}

	public Integer getWidth() {
		return width;
	}

	public void setWidth(Integer width) {
		this.width = width;
	}

	public Integer getHeight() {
		return height;
	}

	public void setHeight(Integer height) {
		this.height = height;
	}

	public String getPreprocessing() {
		return preprocessing;
	}

	public void setPreprocessing(String preprocessing) {
		this.preprocessing = preprocessing;
	}

	public String getOutput() {
		return output;
	}

	public void setOutput(String output) {
		this.output = output;
	}

	public String getColor() {
		return color;
	}

	public void setColor(String color) {
		this.color = color;
	}

	public Float getScale() {
		return scale;
	}

	public void setScale(Float scale) {
		this.scale = scale;
	}

	public Float getOffset() {
		return offset;
	}

	public void setOffset(Float offset) {
		this.offset = offset;
	}

	public boolean isReplace() {
		return replace;
	}

	public void setReplace(boolean replace) {
		this.replace = replace;
	}

}
