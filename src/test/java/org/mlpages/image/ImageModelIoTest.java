package org.mlpages.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;
import org.mlpages.image.photo.ColorOrder;
import org.mlpages.keras.ImportedModel;

/**
 * The descriptor completed by what the model says, and refused with a sentence where they
 * disagree.
 */
class ImageModelIoTest {

	@TempDir
	Path dir;

	private ImageModelDescriptor descriptor(String yaml) throws IOException {
		Path file = Files.writeString(dir.resolve("m.yml"), "title:\n  en: M\n" + yaml);
		return ImageModelDescriptorReader.read(file);
	}

	private static ImportedModel model(long[] inputShape, int outputs, String activation, String rescaling) {
		return new ImportedModel(Path.of("saved"), "sha", 1, "3.8.0", "tensorflow", inputShape, outputs, "input",
				"output", List.of(), false, Duration.ZERO, "Keras 3 archive (.keras)", activation, rescaling);
	}

	private static final String TWO_LABELS = "labels: [{id: Cat}, {id: Dog}]\n";

	@Test
	void aGreyDigitModelNeedsOnlyItsLabels() throws IOException {
		ImageModelDescriptor digits = descriptor("labels: [" + "{id: '0'},{id: '1'},{id: '2'},{id: '3'},{id: '4'},"
				+ "{id: '5'},{id: '6'},{id: '7'},{id: '8'},{id: '9'}]\n");
		ImageModelIo io = ImageModelIo.resolve(digits, model(new long[] { -1, 28, 28, 1 }, 10, "softmax", null));
		assertThat(io.preprocessing().color()).isEqualTo(ColorOrder.GREY);
		assertThat(io.preprocessing().width()).isEqualTo(28);
		assertThat(io.preprocessing().height()).isEqualTo(28);
		assertThat(io.preprocessing().scale()).isEqualTo(1f / 255f);
		assertThat(io.preprocessing().tensorSize()).isEqualTo(784);
		assertThat(io.output()).isEqualTo(ImageModelIo.Output.SOFTMAX);
		// H x W input, and a flat vector of 784 values: grey pictures too
		assertThat(ImageModelIo.resolve(digits, model(new long[] { -1, 28, 28 }, 10, "softmax", null)).inputRank())
			.isEqualTo(3);
		ImageModelDescriptor flat = descriptor("labels: [{id: a}, {id: b}]\ninput: {width: 28, height: 28}\n");
		ImageModelIo flatIo = ImageModelIo.resolve(flat, model(new long[] { -1, 784 }, 2, "softmax", null));
		assertThat(flatIo.preprocessing().color()).isEqualTo(ColorOrder.GREY);
		assertThat(flatIo.inputRank()).isEqualTo(2);
	}

	@Test
	void oneSigmoidUnitDecidesBetweenTwoLabelsTheSecondBeingPositiveUnlessSaid() throws IOException {
		ImportedModel sigmoid = model(new long[] { -1, 150, 150, 3 }, 1, "sigmoid", null);
		ImageModelIo io = ImageModelIo.resolve(descriptor(TWO_LABELS), sigmoid);
		assertThat(io.output()).isEqualTo(ImageModelIo.Output.SIGMOID);
		assertThat(io.positiveLabel()).as("flow_from_directory's class 1, the second alphabetically").isEqualTo(1);
		assertThat(ImageModelIo.resolve(descriptor(TWO_LABELS + "positive: Cat\n"), sigmoid).positiveLabel())
			.isEqualTo(0);
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS),
				model(new long[] { -1, 150, 150, 3 }, 1, null, null)))
			.as("one unit whose activation cannot be told")
			.hasMessageContaining("say in the descriptor whether it is a probability (output: sigmoid) or a raw score");
		assertThat(ImageModelIo
			.resolve(descriptor(TWO_LABELS + "output: logits\n"), model(new long[] { -1, 150, 150, 3 }, 1, null, null))
			.output()).isEqualTo(ImageModelIo.Output.LOGITS);
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor("labels: [{id: a}, {id: b}, {id: c}]\n"), sigmoid))
			.isInstanceOf(InvalidDescriptorException.class)
			.hasMessage("the model has one output unit (the probability of one class), so the descriptor lists the"
					+ " two labels it decides between, not 3");
	}

	@Test
	void whatTheDescriptorSaysMustAgreeWithTheModel() throws IOException {
		ImportedModel grey = model(new long[] { -1, 28, 28, 1 }, 2, "softmax", null);
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS + "input: {color: rgb}\n"), grey))
			.hasMessage("the model takes 1 channel (grey) but the descriptor says color: rgb");
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS + "input: {width: 224}\n"), grey))
			.hasMessage("the model's input is [-1, 28, 28, 1]: width 28, but the descriptor says input.width: 224");
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS + "output: sigmoid\n"),
				model(new long[] { -1, 28, 28, 1 }, 1, "softmax", null)))
			.hasMessage("the descriptor says output: sigmoid but the model's last activation is softmax");
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor("labels: [{id: a}, {id: b}, {id: c}]\n"), grey))
			.hasMessage("the model has 2 outputs but the descriptor lists 3 labels");
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS),
				model(new long[] { -1, 28, 28, 1 }, 2, "tanh", null)))
			.hasMessageContaining("the model's last activation is tanh, not a probability");
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS),
				model(new long[] { -1, -1, -1, 3 }, 2, "softmax", null)))
			.hasMessage("the model takes pictures of any height: say which in the descriptor (input.height)");
		assertThatThrownBy(() -> ImageModelIo.resolve(descriptor(TWO_LABELS + "input: {mean: [1, 2]}\n"),
				model(new long[] { -1, 28, 28, 3 }, 2, "softmax", null)))
			.hasMessageContaining("mean needs one value or one per channel (3 for rgb), not 2");
	}

	@Test
	void aModelThatRescalesItselfIsNotRescaledTwice() throws IOException {
		ImportedModel rescaling = model(new long[] { -1, 180, 180, 3 }, 2, "softmax", "rescaling (Rescaling)");
		ImageModelIo io = ImageModelIo.resolve(descriptor(TWO_LABELS), rescaling);
		assertThat(io.preprocessing().scale()).isEqualTo(1f);
		assertThat(io.preprocessing().offset()).isEqualTo(0f);
		assertThatThrownBy(
				() -> ImageModelIo.resolve(descriptor(TWO_LABELS + "input: {scale: 0.00392156863}\n"), rescaling))
			.hasMessage("the model rescales its input itself (layer rescaling (Rescaling)): remove input.scale and"
					+ " input.offset from the descriptor, or the photo would be rescaled twice");
	}

	@Test
	void logitsAreReadFromALinearLastLayerAndBgrWithMeansFromTheDescriptor() throws IOException {
		ImageModelIo io = ImageModelIo.resolve(
				descriptor(TWO_LABELS + "input: {color: bgr, scale: 1, mean: [103.939, 116.779, 123.68]}\n"),
				model(new long[] { -1, 224, 224, 3 }, 2, "linear", null));
		assertThat(io.output()).isEqualTo(ImageModelIo.Output.LOGITS);
		assertThat(io.preprocessing().color()).isEqualTo(ColorOrder.BGR);
		assertThat(io.preprocessing().mean()).containsExactly(103.939f, 116.779f, 123.68f);
	}

}
