package org.mlpages.image.training;

import java.util.List;
import java.util.Locale;
import org.mlpages.image.photo.Preprocessing;
import org.mlpages.image.photo.ResizeMode;

/**
 * The {@code NAME.yml} descriptor of a trained model, in the format of
 * {@code models/cat_dog_model.yml}.
 */
final class DescriptorWriter {

	private DescriptorWriter() {
	}

	static String yaml(TrainingRequest request, List<String> classes, Preprocessing input, double accuracy,
			int trainPhotos) {
		String titleEn = request.titleEn() != null ? request.titleEn() : request.name();
		String titleFr = request.titleFr() != null ? request.titleFr() : titleEn;
		String pct = String.format(Locale.ROOT, "%.1f", 100 * accuracy);
		String pctFr = pct.replace('.', ',');
		StringBuilder sb = new StringBuilder();
		sb.append("# Descriptor of ")
			.append(request.name())
			.append(".h5, written by `train-image` (see ")
			.append(request.name())
			.append(".report.md).\n");
		sb.append("title:\n  en: ").append(q(titleEn)).append("\n  fr: ").append(q(titleFr)).append('\n');
		sb.append("description:\n");
		sb.append("  en: ")
			.append(q("A new classification layer trained on " + trainPhotos + " photos on top of "
					+ request.baseModel().getFileName() + "; " + pct + " % right on its validation photos."))
			.append('\n');
		sb.append("  fr: ")
			.append(q("Une nouvelle couche de classification entraînée sur " + trainPhotos + " photos au-dessus de "
					+ request.baseModel().getFileName() + " ; " + pctFr
					+ " % de réponses justes sur ses photos de validation."))
			.append('\n');
		sb.append("# In the model's output order: the class folders sorted by name.\n");
		sb.append("labels:\n");
		for (String folder : classes) {
			TrainingRequest.LabelText t = request.labelNames()
				.getOrDefault(folder, new TrainingRequest.LabelText(folder, folder, folder));
			sb.append("  - id: ").append(q(t.id())).append('\n');
			sb.append("    en: ").append(q(t.en())).append('\n');
			sb.append("    fr: ").append(q(t.fr())).append('\n');
		}
		sb.append("# The preprocessing the head was trained with.\n");
		sb.append("input:\n");
		sb.append("  width: ").append(input.width()).append('\n');
		sb.append("  height: ").append(input.height()).append('\n');
		sb.append("  resize: ").append(input.mode() == ResizeMode.CENTER_CROP ? "center-crop" : "stretch").append('\n');
		sb.append("  scale: ").append(number(input.scale())).append('\n');
		sb.append("  offset: ").append(number(input.offset())).append('\n');
		return sb.toString();
	}

	/** Enough digits that the float read back is the float trained with. */
	private static String number(float v) {
		return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
	}

	/** A double-quoted YAML scalar. */
	static String q(String s) {
		return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
	}

}
