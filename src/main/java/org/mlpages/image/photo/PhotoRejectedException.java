package org.mlpages.image.photo;

/**
 * Thrown when uploaded bytes cannot become a photo. The message is meant for logs only;
 * callers show the user a localised text chosen by {@link #reason()}.
 */
public class PhotoRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why a photo was rejected, coarse enough to map onto one user-facing message each.
	 */
	public enum Reason {

		/** No bytes at all. */
		EMPTY,
		/** Not an image we know of: text, PDF, an archive, a video... */
		NOT_AN_IMAGE,
		/**
		 * A recognisable image format that this decoder cannot read (HEIC/HEIF, AVIF,
		 * SVG, JPEG XL, ...).
		 */
		UNSUPPORTED_FORMAT,
		/** A supported format whose data is broken or truncated. */
		CORRUPT,
		/**
		 * The header declares more pixels than the configured limit; nothing was decoded.
		 */
		TOO_MANY_PIXELS,
		/**
		 * Decoded, but too small for a model to see anything in it (see
		 * {@link PhotoSizeCheck}).
		 */
		TOO_SMALL

	}

	/** Marks a dimension the header did not reveal. */
	public static final int UNKNOWN = -1;

	private final Reason reason;

	private final String format;

	private final int declaredWidth;

	private final int declaredHeight;

	public PhotoRejectedException(Reason reason, String message) {
		this(reason, message, null, UNKNOWN, UNKNOWN, null);
	}

	public PhotoRejectedException(Reason reason, String message, String format, int declaredWidth, int declaredHeight,
			Throwable cause) {
		super(message, cause);
		if (reason == null) {
			throw new IllegalArgumentException("reason is required");
		}
		this.reason = reason;
		this.format = format;
		this.declaredWidth = declaredWidth;
		this.declaredHeight = declaredHeight;
	}

	public Reason reason() {
		return reason;
	}

	/**
	 * The format recognised from the content ("jpeg", "png", "heic", "svg", ...), or
	 * {@code null} when nothing was recognised.
	 */
	public String format() {
		return format;
	}

	/** Width stated by the file's header, or {@link #UNKNOWN}. */
	public int declaredWidth() {
		return declaredWidth;
	}

	/** Height stated by the file's header, or {@link #UNKNOWN}. */
	public int declaredHeight() {
		return declaredHeight;
	}

}
