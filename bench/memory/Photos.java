import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;

import javax.imageio.ImageIO;

/**
 * The photos of bench/memory.sh's mixed load beside the test photos (small JPEGs): the same kind of photo in the
 * other formats the upload form names and in the sizes a phone sends, so that decoding and resizing are exercised
 * as people's uploads would. Run as a source file: java bench/memory/Photos.java SOURCE.jpg OUTDIR
 */
public class Photos {

	public static void main(String[] args) throws IOException {
		BufferedImage source = ImageIO.read(new File(args[0]));
		File out = new File(args[1]);
		out.mkdirs();
		// a phone's photo (12 megapixels is 4000x3000; 3000x2250 keeps the file near 1-2 MB)
		write(scaled(source, 3000, 2250), "jpg", new File(out, "phone-3000x2250.jpg"));
		// a screenshot-like PNG, lossless and so several MB
		write(scaled(source, 1280, 960), "png", new File(out, "screen-1280x960.png"));
		write(scaled(source, 400, 300), "gif", new File(out, "small-400x300.gif"));
		write(scaled(source, 800, 600), "bmp", new File(out, "camera-800x600.bmp"));
		write(scaled(source, 640, 480), "png", new File(out, "web-640x480.png"));
	}

	private static BufferedImage scaled(BufferedImage source, int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		graphics.drawImage(source, 0, 0, width, height, null);
		graphics.dispose();
		return image;
	}

	private static void write(BufferedImage image, String format, File file) throws IOException {
		if (!ImageIO.write(image, format, file)) {
			throw new IOException("no ImageIO writer for " + format);
		}
	}

}
