package org.mlpages.image.photo;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

/**
 * A photo enlarged to about a given number of pixels and written as a JPEG: the large
 * photos the decoder must take within its memory budget, made from a real one so that the
 * model still sees a cat or a dog.
 *
 * @param jpeg the enlarged photo's bytes
 * @param width its width
 * @param height its height
 */
public record EnlargedPhoto(byte[] jpeg, int width, int height) {

	public static EnlargedPhoto of(BufferedImage original, double pixels) throws IOException {
		double enlarge = Math.sqrt(pixels / ((double) original.getWidth() * original.getHeight()));
		int width = (int) (original.getWidth() * enlarge);
		int height = (int) (original.getHeight() * enlarge);
		BufferedImage large = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = large.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(original, 0, 0, width, height, null);
		g.dispose();
		ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
		ImageIO.write(large, "jpeg", jpeg);
		return new EnlargedPhoto(jpeg.toByteArray(), width, height);
	}

}
