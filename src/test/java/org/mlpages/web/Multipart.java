package org.mlpages.web;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body with one file part, as a browser or curl sends it. */
public record Multipart(String boundary, byte[] body) {

	public static Multipart file(String field, String fileName, byte[] content) {
		return file(field, fileName, content, java.util.Map.of());
	}

	/** With ordinary form fields before the file, as a browser sends a CSRF token. */
	public static Multipart file(String field, String fileName, byte[] content, java.util.Map<String, String> fields) {
		String boundary = "----mlpages" + UUID.randomUUID();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		fields.forEach((name, value) -> out.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
					.getBytes(StandardCharsets.UTF_8)));
		String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
				+ fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
		out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(content);
		out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return new Multipart(boundary, out.toByteArray());
	}

	public HttpRequest.Builder post(HttpRequest.Builder builder) {
		return builder.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
	}

}
