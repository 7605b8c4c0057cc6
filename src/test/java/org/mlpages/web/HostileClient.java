package org.mlpages.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Sends the hostile-input table's requests to a running app: the web tests' own, or the
 * packaged jar of an IT that measures its memory across the table. Each request has a
 * client of its own (no session), as a script would.
 */
public final class HostileClient {

	public static final String CREDIT_API = "/api/v1/models/credit/predictions";

	private final URI base;

	private final String photoApi;

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * @param base the app's address
	 * @param photoModel the image model the photos are sent to
	 */
	public HostileClient(URI base, String photoModel) {
		this.base = base;
		this.photoApi = "/api/v1/models/" + photoModel + "/predictions";
	}

	/** An answer's status and body as the client read them. */
	public record Answer(int status, String body) {

		static Answer of(HttpResponse<String> response) {
			return new Answer(response.statusCode(), response.body());
		}

	}

	public Answer photo(String name, byte[] content) {
		return send(Multipart.file("image", name, content)
			.post(HttpRequest.newBuilder(base.resolve(photoApi)).header("Accept-Language", "en")));
	}

	public Answer json(String body) {
		return send(CREDIT_API, "application/json", body);
	}

	public Answer send(String path, String contentType, String body) {
		return send(HttpRequest.newBuilder(base.resolve(path))
			.header("Content-Type", contentType)
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	public Answer twoPhotos(byte[] photo) {
		String boundary = "----" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (String name : List.of("cat.jpg", "dog.jpg")) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + name
					+ "\"\r\nContent-Type: image/jpeg\r\n\r\n")
				.getBytes(StandardCharsets.UTF_8));
			body.writeBytes(photo);
			body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		}
		body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return send(HttpRequest.newBuilder(base.resolve(photoApi))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
	}

	/** A POST to the photo API with this header, written byte for byte. */
	public Answer rawPhotoPost(String header, String body) {
		return raw("POST " + photoApi + " HTTP/1.1", header, body);
	}

	/**
	 * A request written byte for byte, as no HTTP library would send it; the answer read
	 * until the server closes the connection.
	 */
	public Answer raw(String requestLine, String header, String body) {
		try (Socket socket = new Socket(base.getHost(), base.getPort())) {
			socket.setSoTimeout(30_000);
			byte[] content = body.getBytes(StandardCharsets.UTF_8);
			String head = requestLine + "\r\nHost: localhost\r\nConnection: close\r\nAccept-Language: en\r\n"
					+ (header == null ? "" : header + "\r\n")
					+ (requestLine.startsWith("POST") ? "Content-Length: " + content.length + "\r\n" : "") + "\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.UTF_8));
			out.write(content);
			out.flush();
			String response = new String(readUntilClosed(socket.getInputStream()), StandardCharsets.UTF_8);
			int status = Integer.parseInt(response.substring(9, 12));
			return new Answer(status, response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static byte[] readUntilClosed(InputStream in) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n; (n = in.read(buffer)) >= 0;) {
				read.write(buffer, 0, n);
			}
		}
		catch (SocketException reset) {
			// a reset after the answer ends the reading as well as a close
		}
		return read.toByteArray();
	}

	private Answer send(HttpRequest.Builder request) {
		return Answer.of(WebTestSupport.send(request, http));
	}

}
