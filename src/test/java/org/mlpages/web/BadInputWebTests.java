package org.mlpages.web;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything a person or a client may send that is not a photo the model can take: each
 * gets its status, a message a person understands, no prediction row, no stored file, no
 * stack trace, and the app answers the next photo as before.
 */
public class BadInputWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Path FIXTURES = Path.of("src/test/resources/photo");

	public static Stream<Arguments> badUploads() {
		byte[] photo = photo("nasser0111_cat.jpg");
		return Stream.of(
				Arguments.of("a text file", "notes.jpg", fixture("text.txt"), 415, "not-an-image",
						"This file is not an image"),
				Arguments.of("a PDF", "scan.pdf", fixture("document.pdf"), 415, "not-an-image",
						"This file is not an image"),
				Arguments.of("a truncated JPEG", "cut.jpg", Arrays.copyOf(photo, photo.length / 2), 422, "corrupt",
						"damaged or incomplete"),
				Arguments.of("an HEIC photo", "IMG_0001.HEIC", fixture("synthetic.heic"), 415, "unsupported-format",
						"cannot be read here"),
				Arguments.of("an SVG drawing", "logo.svg", fixture("drawing.svg"), 415, "unsupported-format",
						"cannot be read here"),
				Arguments.of("a 0-byte file", "empty.jpg", new byte[0], 400, "empty", "This file is empty"),
				Arguments.of("an image declaring 900 megapixels", "huge.png", pngHeader(30_000, 30_000), 413,
						"too-many-pixels", "30000 x 30000 pixels"),
				Arguments.of("a 1x1 image", "dot.png", png(1, 1), 422, "too-small", "only 1 x 1 pixels"),
				Arguments.of("an image 31 pixels high", "strip.png", png(400, 31), 422, "too-small",
						"at least 32 pixels on each side"),
				Arguments.of("a file over 10 MB", "big.jpg", overTenMegabytes(photo), 413, "too-large",
						"larger than the 10 MB"),
				Arguments.of("a name with ../ in it", "../../etc/cron.d/cat.jpg", photo, 400, "name",
						"file name is not accepted"));
	}

	@ParameterizedTest(name = "the API refuses {0}")
	@MethodSource("badUploads")
	void theApiRefusesWithAProblemDetail(String what, String fileName, byte[] content, int status, String code,
			String message) {
		long rows = predictionRows();
		long files = storedUploads();

		HttpResponse<String> response = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				fileName, content, "en");

		assertThat(response.statusCode()).as(what).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("code").asString()).isEqualTo(code);
		assertThat(problem.get("detail").asString()).contains(message);
		assertNothingKeptAndStillServing(rows, files);
	}

	@ParameterizedTest(name = "the page refuses {0}")
	@MethodSource("badUploads")
	void thePageRefusesWithAMessage(String what, String fileName, byte[] content, int status, String code,
			String message) {
		long rows = predictionRows();
		long files = storedUploads();

		HttpResponse<String> response = upload("/image/" + TestModels.REFERENCE, "image", fileName, content, "en");

		assertThat(response.statusCode()).as(what).isEqualTo(status);
		assertThat(html(response).selectFirst("#error").text()).contains(message);
		assertThat(html(response).select("#menu a")).as("the page keeps its layout").isNotEmpty();
		assertThat(response.body()).doesNotContain("Exception", "at org.", "at java.");
		assertNothingKeptAndStillServing(rows, files);
	}

	@Test
	void thePageAsksForAPhotoWhenNoneWasChosen() {
		HttpResponse<String> response = upload("/image/" + TestModels.REFERENCE, "image", "", new byte[0], "fr");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(html(response).selectFirst("#error").text()).isEqualTo("Choisissez d’abord une photo.");
	}

	@Test
	void theApiNamesTheMissingPart() {
		HttpResponse<String> response = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "photo",
				"cat.jpg", photo("nasser0111_cat.jpg"), "en");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("missing");
	}

	@Test
	void anUnknownModelIsA404InBothPlaces() {
		HttpResponse<String> api = upload("/api/v1/models/nope/predictions", "image", "cat.jpg",
				photo("nasser0111_cat.jpg"), "en");
		HttpResponse<String> page = upload("/image/nope", "image", "cat.jpg", photo("nasser0111_cat.jpg"), "en");

		assertThat(api.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(api.body()).get("code").asString()).isEqualTo("unknown");
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(html(page).selectFirst("#error").text()).contains("nope");
	}

	@Test
	void aWebpNamedJpgIsReadByItsContent() {
		HttpResponse<String> response = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"holiday.jpg", fixture("webp-named.jpg"), "en");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(response.body()).get("id").asLong()).isPositive();
	}

	@Test
	void aGetOfAnUploadByAnotherNameFindsNothing() {
		assertThat(send(HttpRequest.newBuilder(uri("/uploads/..%2F..%2Fpom.xml")).GET()).statusCode()).isIn(400, 404);
		assertThat(get("/uploads/pom.xml", "en").statusCode()).isEqualTo(404);
	}

	private void assertNothingKeptAndStillServing(long rows, long files) {
		assertThat(predictionRows()).as("no prediction row").isEqualTo(rows);
		assertThat(storedUploads()).as("no stored file").isEqualTo(files);
		HttpResponse<String> next = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image",
				"dog.jpg", photo("nasser0111_dog.jpg"), "en");
		assertThat(next.statusCode()).as("the app still serves").isEqualTo(200);
		assertThat(predictionRows()).isEqualTo(rows + 1);
	}

	private static byte[] fixture(String name) {
		try {
			return Files.readAllBytes(FIXTURES.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] overTenMegabytes(byte[] photo) {
		// a real JPEG followed by padding: only its size is wrong
		return Arrays.copyOf(photo, 10 * 1024 * 1024 + 1);
	}

	/**
	 * A valid PNG signature and IHDR declaring the given size, with no pixel data worth
	 * decoding.
	 */
	static byte[] pngHeader(int width, int height) {
		return png(width, height, 8, new byte[] { 0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
	}

	/**
	 * An RGB PNG written chunk by chunk: its signature, an IHDR with this size and bit
	 * depth, this IDAT (compressed scanlines) and IEND, each with its CRC.
	 */
	static byte[] png(int width, int height, int bitDepth, byte[] idat) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			DataOutputStream data = new DataOutputStream(out);
			data.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
			ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
			DataOutputStream fields = new DataOutputStream(ihdr);
			fields.writeInt(width);
			fields.writeInt(height);
			fields.write(new byte[] { (byte) bitDepth, 2, 0, 0, 0 });
			chunk(data, "IHDR", ihdr.toByteArray());
			chunk(data, "IDAT", idat);
			chunk(data, "IEND", new byte[0]);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void chunk(DataOutputStream out, String type, byte[] body) throws IOException {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		out.writeInt(body.length);
		out.write(typeBytes);
		out.write(body);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(body);
		out.writeInt((int) crc.getValue());
	}

}
