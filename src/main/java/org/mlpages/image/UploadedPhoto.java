package org.mlpages.image;

import java.util.regex.Pattern;

import org.mlpages.system.InputRejectedException;

import org.springframework.http.HttpStatus;

/**
 * A photo as a client sent it. The original name is only remembered for the history,
 * never used as a path; a name that tries to be one is refused, since no browser sends
 * such a name.
 */
public record UploadedPhoto(String originalName, byte[] bytes) {

	/**
	 * A path, a control character, or a bidirectional override or isolate: shown in the
	 * history, "cat", U+202E, "gpj.exe" reads as "catexe.jpg".
	 */
	private static final Pattern PATH_LIKE = Pattern
		.compile("(^|[/\\\\])\\.\\.([/\\\\]|$)|[/\\\\]|\\p{Cntrl}|[\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]");

	public static final int MAX_NAME_LENGTH = 255;

	public static UploadedPhoto of(String originalName, byte[] bytes) {
		String name = originalName == null ? "" : originalName.strip();
		if (PATH_LIKE.matcher(name).find() || name.length() > MAX_NAME_LENGTH) {
			throw new InputRejectedException(HttpStatus.BAD_REQUEST, "upload.rejected.name",
					"file name refused: " + name.replaceAll("\\p{Cntrl}", "?"));
		}
		return new UploadedPhoto(name, bytes);
	}

}
