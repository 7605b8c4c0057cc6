package org.mlpages.image.photo;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorPreprocessorTest {

	/** Irregular values so that a wrong weight or index cannot cancel out. */
	private static final int[][] FOUR_BY_FOUR = { { 0, 100, 200, 50 }, { 10, 30, 90, 255 }, { 5, 7, 9, 11 },
			{ 250, 0, 128, 64 }, };

	@Test
	void downscaleFourToTwoAveragesEachTwoByTwoBlock() {
		// half-pixel centres: output 0 samples input 0.5, output 1 samples 2.5, so each
		// output is a block mean
		int[] out = levels(grey(FOUR_BY_FOUR), ResizeMode.STRETCH, 2, 2);
		assertThat(out).containsExactly(35, 149, // (0+100+10+30)/4, (200+50+90+255)/4 =
													// 148.75
				66, 53); // (5+7+250+0)/4 = 65.5 rounds half up, (9+11+128+64)/4
	}

	@Test
	void upscaleTwoToFourInterpolatesWithHalfPixelCentresAndClampsEdges() {
		// output i samples input (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25: edges
		// clamp to the border pixels
		int[] out = levels(grey(new int[][] { { 0, 100 }, { 200, 40 } }), ResizeMode.STRETCH, 4, 4);
		assertThat(out).containsExactly(0, 25, 75, 100, 50, 59, 76, 85, // 58.75, 76.25
				150, 126, 79, 55, // 126.25, 78.75
				200, 160, 80, 40);
	}

	@Test
	void centerCropOfAWideImageUsesTheMiddleSquare() {
		int[][] wide = new int[4][8];
		for (int y = 0; y < 4; y++) {
			Arrays.fill(wide[y], 255);
			System.arraycopy(FOUR_BY_FOUR[y], 0, wide[y], 2, 4);
		}
		assertThat(levels(grey(wide), ResizeMode.CENTER_CROP, 2, 2)).containsExactly(35, 149, 66, 53);
		assertThat(levels(grey(wide), ResizeMode.STRETCH, 2, 2)).doesNotContain(35, 149, 66, 53);
	}

	@Test
	void centerCropOfATallImageUsesTheMiddleRowsAndKeepsATargetAspectRatio() {
		int[][] tall = new int[8][4];
		for (int y = 0; y < 8; y++) {
			Arrays.fill(tall[y], 255);
		}
		for (int y = 0; y < 4; y++) {
			System.arraycopy(FOUR_BY_FOUR[y], 0, tall[y + 2], 0, 4);
		}
		assertThat(levels(grey(tall), ResizeMode.CENTER_CROP, 2, 2)).containsExactly(35, 149, 66, 53);
		// a 4x1 target on the 4x8 image crops the single row at y = 3 (rows 3.5 +- 0.5)
		// and keeps it as is
		int[] row = levels(grey(tall), ResizeMode.CENTER_CROP, 4, 1);
		assertThat(row).containsExactly(FOUR_BY_FOUR[1]);
	}

	@Test
	void channelsStayApartInRgbOrderAndAreScaledAfterRounding() {
		BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
		image.setRGB(0, 0, 0x102030);
		image.setRGB(1, 0, 0xFF8000);
		float[] tensor = new TensorPreprocessor(Preprocessing.minusOneToOne(ResizeMode.STRETCH, 2, 1)).toTensor(image);
		assertThat(tensor).containsExactly(
				new float[] { 16 / 127.5f - 1, 32 / 127.5f - 1, 48 / 127.5f - 1, 1f, 128 / 127.5f - 1, -1f },
				org.assertj.core.data.Offset.offset(1e-6f));
	}

	@Test
	void writesIntoItsSliceOfABatchOnly() {
		BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
		TensorPreprocessor preprocessor = new TensorPreprocessor(new Preprocessing(ResizeMode.STRETCH, 2, 2, 1, 0.5f));
		float[] batch = new float[3 * preprocessor.tensorSize()];
		Arrays.fill(batch, 42f);
		preprocessor.writeInto(image, batch, preprocessor.tensorSize());
		int n = preprocessor.tensorSize();
		for (int i = 0; i < batch.length; i++) {
			assertThat(batch[i]).isEqualTo(i >= n && i < 2 * n ? 0.5f : 42f);
		}
		assertThatThrownBy(() -> preprocessor.writeInto(image, batch, 2 * n + 1))
			.isInstanceOf(IndexOutOfBoundsException.class);
	}

	@Test
	void acceptsImagesThatAreNotIntRgb() {
		BufferedImage grey = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
		grey.getRaster().setSample(1, 1, 0, 77);
		int[] out = levels(grey, ResizeMode.STRETCH, 3, 3);
		assertThat(out[4]).isEqualTo(77);
	}

	@Test
	void largePhotoIsFastEnough() {
		BufferedImage photo = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
		TensorPreprocessor preprocessor = new TensorPreprocessor(
				Preprocessing.minusOneToOne(ResizeMode.CENTER_CROP, 224, 224));
		float[] tensor = new float[preprocessor.tensorSize()];
		for (int i = 0; i < 20; i++) {
			preprocessor.writeInto(photo, tensor, 0);
		}
		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			preprocessor.writeInto(photo, tensor, 0);
		}
		double ms = (System.nanoTime() - start) / 20 / 1e6;
		System.out.printf("4000x3000 -> 224x224 CENTER_CROP: %.2f ms%n", ms);
		// generous: the loop touches only 4 source pixels per output pixel, typically
		// well under 1 ms
		assertThat(ms).isLessThan(50);
	}

	/**
	 * Preprocesses with scale 1, offset 0 and returns the red channel, which equals green
	 * and blue for grey input.
	 */
	private static int[] levels(BufferedImage image, ResizeMode mode, int width, int height) {
		float[] tensor = new TensorPreprocessor(new Preprocessing(mode, width, height, 1, 0)).toTensor(image);
		int[] red = new int[width * height];
		for (int i = 0; i < red.length; i++) {
			assertThat(tensor[3 * i + 1]).isEqualTo(tensor[3 * i]);
			assertThat(tensor[3 * i + 2]).isEqualTo(tensor[3 * i]);
			red[i] = (int) tensor[3 * i];
		}
		return red;
	}

	private static BufferedImage grey(int[][] rows) {
		BufferedImage image = new BufferedImage(rows[0].length, rows.length, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < rows.length; y++) {
			for (int x = 0; x < rows[y].length; x++) {
				int v = rows[y][x];
				image.setRGB(x, y, v << 16 | v << 8 | v);
			}
		}
		return image;
	}

	@Test
	void bgrGreyAndPerChannelNormalisationFollowTheModelsChannels() {
		BufferedImage orange = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 2; y++) {
			for (int x = 0; x < 3; x++) {
				orange.setRGB(x, y, 200 << 16 | 100 << 8 | 50);
			}
		}
		float[] rgb = tensor(orange, ColorOrder.RGB, new float[0], new float[0]);
		float[] bgr = tensor(orange, ColorOrder.BGR, new float[0], new float[0]);
		float[] grey = tensor(orange, ColorOrder.GREY, new float[0], new float[0]);
		float[] torch = tensor(orange, ColorOrder.RGB, new float[] { 1, 2, 3 }, new float[] { 2, 4, 8 });

		assertThat(rgb).containsExactly(200, 100, 50);
		assertThat(bgr).containsExactly(50, 100, 200);
		// Pillow's convert("L"): 0.299 * 200 + 0.587 * 100 + 0.114 * 50 = 124.2
		assertThat(grey).containsExactly(124);
		assertThat(torch).containsExactly((200 - 1) / 2f, (100 - 2) / 4f, (50 - 3) / 8f);
	}

	private static float[] tensor(BufferedImage image, ColorOrder color, float[] mean, float[] std) {
		return new TensorPreprocessor(new Preprocessing(ResizeMode.STRETCH, 1, 1, 1, 0, color, mean, std))
			.toTensor(image);
	}

}
