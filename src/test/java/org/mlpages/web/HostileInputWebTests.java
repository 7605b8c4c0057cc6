package org.mlpages.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.mlpages.web.HostileClient.Answer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile or careless client may send, beyond the bad photos
 * ({@link BadInputWebTests}) and bad credit answers ({@link CreditWebTests}): formats
 * that are photos all the same, photos carrying something else, names, bodies and headers
 * made to break a parser, and URL tricks. Each gets its status and a message that names
 * the problem, never a 5xx or a stack trace, no row unless it was a photo after all, no
 * file under a name the client chose, and the app serves the next request as before. The
 * docs/hostile-input.md's table lists every case of the three classes, and a test here
 * keeps it so.
 */
public class HostileInputWebTests extends WebTestSupport {

	private static final String PHOTO_API = "/api/v1/models/" + TestModels.REFERENCE + "/predictions";

	private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f-]{36}\\.[a-z]{3,4}");

	/** A case: what it is, how it is sent, the status it gets, words its answer holds. */
	public record Case(String what, Function<HostileClient, Answer> send, int status, String says) {

		@Override
		public String toString() {
			return what;
		}

	}

	public static Stream<Case> cases() {
		return Stream.of(
				// photos all the same
				new Case("a progressive JPEG", t -> t.photo("scan.jpg", progressiveJpeg()), 200, "\"label\""),
				new Case("a CMYK JPEG", t -> t.photo("print.jpg", fixture("cmyk.jpg")), 200, "\"label\""),
				new Case("a 16-bit PNG", t -> t.photo("raw.png", png16(64, 48)), 200, "\"label\""),
				new Case("an animated GIF", t -> t.photo("cat.gif", animatedGif()), 200, "\"label\""),
				new Case("a JPEG with 5 MB of EXIF and ICC segments", t -> t.photo("heavy.jpg", withHugeSegments()),
						200, "\"label\""),
				new Case("a JPEG that is also an HTML page",
						t -> t.photo("page.jpg",
								concat(cat(),
										"<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8))),
						200, "\"label\""),
				new Case("a JPEG that is also a ZIP archive", t -> t.photo("archive.jpg", concat(cat(), zip())), 200,
						"\"label\""),
				// not photos, or not only
				new Case("an SVG with a script",
						t -> t.photo("logo.svg",
								("<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<script>alert(1)</script></svg>")
									.getBytes(StandardCharsets.UTF_8)),
						415, "cannot be read here"),
				// refused by Tomcat's reading of the form, before the app sees the name
				new Case("a file name with a NUL byte", t -> t.photo("cat.jpg\u0000.html", cat()), 400,
						"could not be read"),
				new Case("a file name of 4 KB of Unicode", t -> t.photo("é".repeat(4096) + ".jpg", cat()), 400,
						"file name is not accepted"),
				new Case("a file name with a right-to-left override", t -> t.photo("cat\u202Egpj.exe", cat()), 400,
						"file name is not accepted"),
				new Case("two photos in one request", t -> t.twoPhotos(cat()), 400, "one photo"),
				new Case("a multipart body with no boundary",
						t -> t.rawPhotoPost("Content-Type: multipart/form-data",
								"--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n" + "abc\r\n--x--\r\n"),
						400, "could not be read"),
				new Case("a part without a name",
						t -> t.rawPhotoPost("Content-Type: multipart/form-data; boundary=x",
								"--x\r\nContent-Disposition: form-data; filename=\"cat.jpg\"\r\n\r\nabc\r\n--x--\r\n"),
						400, "Choose a photo first"),
				new Case("a 50 MB body", t -> t.photo("big.jpg", Arrays.copyOf(cat(), 50 * 1024 * 1024)), 413,
						"larger than the 10 MB"),
				// answers and bodies
				new Case("duplicated JSON keys", t -> t.json(applicantWith("\"age\": \"30\", \"age\": \"31\"")), 400,
						"Given more than once"),
				new Case("JSON nested 10,000 deep", t -> t.json("[".repeat(10_000) + "]".repeat(10_000)), 400,
						"JSON object"),
				new Case("a 10 MB JSON body", t -> t.json("{\"purpose\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}"),
						413, "larger than"),
				new Case("JSON sent as text/plain",
						t -> t.send(HostileClient.CREDIT_API, "text/plain", applicantWith("")), 415, "not text/plain"),
				new Case("1e309 for a number", t -> t.json(applicantWith("\"age\": 1e309")), 400, "\"field\":\"age\""),
				new Case("SQL in an answer",
						t -> t.json(applicantWith("\"purpose\": \"' OR 1=1; DROP TABLE prediction;--\"")), 400,
						"\"code\":\"choice\""),
				new Case("a form posted without its CSRF token",
						t -> t.send("/credit", "application/x-www-form-urlencoded", "age=30"), 403,
						"Your session had expired"),
				new Case("an Accept-Language header of 10 KB",
						t -> t.raw("GET /about HTTP/1.1", "Accept-Language: " + "fr;q=0.5,".repeat(1024), ""), 200,
						"lang=\"fr\""),
				// addresses
				new Case("a path with %2e%2e/", t -> t.raw("GET /uploads/%2e%2e/pom.xml HTTP/1.1", null, ""), 400,
						"The request could not be served (status 400)."),
				new Case("a path with ;jsessionid=",
						t -> t.raw("GET /about;jsessionid=0123456789ABCDEF HTTP/1.1", null, ""), 400,
						"The request could not be served (status 400)."),
				new Case("a double-encoded slash",
						t -> t.raw("GET /image/..%252F..%252Fetc%252Fpasswd HTTP/1.1", null, ""), 400,
						"The request could not be served (status 400)."),
				new Case("an encoded slash in a model's name",
						t -> t.raw("GET /image/cat%2F..%2F..%2Fpom.xml HTTP/1.1", null, ""), 400, "Bad Request"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void eachIsAnsweredWithItsStatusAndAMessageAndKeepsNothingItShouldNot(Case hostile) throws IOException {
		long rows = predictionRows();
		long files = storedUploads();

		Answer answer = hostile.send().apply(new HostileClient(uri("/"), TestModels.REFERENCE));

		assertThat(answer.status()).as(hostile.what() + ": " + abbreviated(answer.body())).isEqualTo(hostile.status());
		assertThat(answer.body()).as(hostile.what() + ": " + abbreviated(answer.body())).contains(hostile.says());
		assertThat(answer.body()).as(hostile.what() + ": no stack trace")
			.doesNotContain("Exception", "at org.", "at java.", "Caused by");
		long photos = answer.status() == 200 && hostile.says().equals("\"label\"") ? 1 : 0;
		assertThat(predictionRows()).as(hostile.what() + ": rows").isEqualTo(rows + photos);
		assertThat(storedUploads()).as(hostile.what() + ": files").isEqualTo(files + photos);
		assertOnlyStoredNames();
		assertThat(get("/actuator/health", "en").statusCode()).as("still serving").isEqualTo(200);
	}

	@Test
	void anUploadThatNeverEndsIsCutOffAndTheAppServesOthersMeanwhile() throws Exception {
		long rows = predictionRows();
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + PHOTO_API + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
					+ "Content-Type: multipart/form-data; boundary=x\r\n\r\n10\r\n--x\r\nContent-Dis\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			long start = System.nanoTime();
			assertThat(get("/about", "en").statusCode()).as("others are served meanwhile").isEqualTo(200);
			// then nothing more: the server must give up on it
			byte[] rest = HostileClient.readUntilClosed(socket.getInputStream());
			double waited = (System.nanoTime() - start) / 1e9;
			System.out.printf("a body that stopped coming was cut off after %.1f s: %s%n", waited,
					abbreviated(new String(rest, StandardCharsets.ISO_8859_1)));
			assertThat(waited).as("cut off, seconds").isLessThan(45);
		}
		assertThat(predictionRows()).isEqualTo(rows);
	}

	@Test
	void markupAndFormulasInANameAreShownAsTextInTheHistoryAndNeutralisedInTheCsv() {
		// no slash: a name with one is refused as a path
		String name = "=HYPERLINK(\"evil.example\";\"<img src=x onerror=alert(1)>\").jpg";
		HttpResponse<String> answer = upload(PHOTO_API, "image", name, cat(), "en");
		assertThat(answer.statusCode()).isEqualTo(200);
		logInAsAdmin();

		String page = get("/history", "en").body();
		String csv = get("/history/export.csv", "en").body();

		assertThat(page).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;");
		assertThat(csv).contains("'=HYPERLINK(").doesNotContain(",=HYPERLINK(");
	}

	@Test
	void aJpegThatIsAlsoAnHtmlPageIsServedBackAsAPhotoOnly() {
		byte[] polyglot = concat(cat(), "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> result = upload("/image/" + TestModels.REFERENCE, "image", "page.html", polyglot, "en");
		String src = html(result).selectFirst("img[src^=/uploads/]").attr("src");

		HttpResponse<String> served = get(src, "en");

		assertThat(src).matches("/uploads/[0-9a-f-]{36}\\.jpg");
		assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
		assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	@Test
	void theReadmeListsEveryCase() throws IOException {
		String table = Files.readString(Path.of("docs/hostile-input.md"));
		List<String> cases = new ArrayList<>();
		cases().map(Case::what).forEach(cases::add);
		BadInputWebTests.badUploads().map(arguments -> (String) arguments.get()[0]).forEach(cases::add);
		CreditWebTests.badApplications().map(arguments -> (String) arguments.get()[0]).forEach(cases::add);
		cases.add("an upload that never ends");
		cases.add("markup and formulas in a name");

		assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
		assertThat(cases)
			.allSatisfy(what -> assertThat(table).as("docs/hostile-input.md's table").contains("| " + what + " |"));
	}

	/** Every file in the uploads folder has a name the app made. */
	private static void assertOnlyStoredNames() throws IOException {
		if (!Files.isDirectory(UPLOADS)) {
			return;
		}
		try (Stream<Path> files = Files.list(UPLOADS)) {
			assertThat(files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")))
				.allMatch(name -> STORED_NAME.matcher(name).matches());
		}
	}

	private static String abbreviated(String body) {
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

	private static String applicantWith(String member) {
		String applicant;
		try {
			applicant = Files.readString(Path.of("src/test/resources/credit/applicant.json")).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (member.isEmpty()) {
			return applicant;
		}
		// the member's own answer taken out, so that it is the one the body gives
		String field = member.substring(1, member.indexOf('"', 1));
		return "{" + member + "," + applicant.substring(1).replaceFirst("\"" + field + "\":\\s*\"[^\"]*\",?", "");
	}

	private static byte[] cat() {
		return photo("nasser0111_cat.jpg");
	}

	private static byte[] fixture(String name) {
		try {
			return Files.readAllBytes(Path.of("src/test/resources/photo").resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static BufferedImage drawing(int width, int height, Color colour) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(colour);
		g.fillRect(0, 0, width, height);
		g.setColor(Color.DARK_GRAY);
		g.fillOval(width / 4, height / 4, width / 2, height / 2);
		g.dispose();
		return image;
	}

	private static byte[] progressiveJpeg() {
		try {
			ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
				writer.setOutput(stream);
				writer.write(null, new IIOImage(drawing(160, 120, Color.ORANGE), null, null), param);
			}
			writer.dispose();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] animatedGif() {
		try {
			ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
				writer.setOutput(stream);
				writer.prepareWriteSequence(null);
				writer.writeToSequence(new IIOImage(drawing(80, 60, Color.RED), null, null), null);
				writer.writeToSequence(new IIOImage(drawing(80, 60, Color.BLUE), null, null), null);
				writer.endWriteSequence();
			}
			writer.dispose();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** RGB with 16 bits a sample, which ImageIO's writer does not make: written here. */
	private static byte[] png16(int width, int height) {
		try {
			ByteArrayOutputStream raw = new ByteArrayOutputStream();
			for (int y = 0; y < height; y++) {
				raw.write(0);
				for (int x = 0; x < width; x++) {
					int value = (x * 65535) / width;
					for (int sample : new int[] { value, 65535 - value, (y * 65535) / height }) {
						raw.write(sample >> 8);
						raw.write(sample & 0xff);
					}
				}
			}
			ByteArrayOutputStream compressed = new ByteArrayOutputStream();
			try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater())) {
				deflate.write(raw.toByteArray());
			}
			return BadInputWebTests.png(width, height, 16, compressed.toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The cat photo with 80 APP1 (EXIF) and APP2 (ICC) segments of 64 KB each after its
	 * start marker: 5 MB of metadata a camera could not have written.
	 */
	private static byte[] withHugeSegments() {
		byte[] photo = cat();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(photo, 0, 2);
		byte[] payload = new byte[65_533];
		for (int i = 0; i < 80; i++) {
			out.write(0xff);
			out.write(i % 2 == 0 ? 0xe1 : 0xe2);
			out.write(0xff);
			out.write(0xff);
			byte[] marker = (i % 2 == 0 ? "Exif\0\0" : "ICC_PROFILE\0").getBytes(StandardCharsets.ISO_8859_1);
			System.arraycopy(marker, 0, payload, 0, marker.length);
			out.write(payload, 0, payload.length);
		}
		out.write(photo, 2, photo.length - 2);
		return out.toByteArray();
	}

	private static byte[] zip() {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (ZipOutputStream zip = new ZipOutputStream(out)) {
				zip.putNextEntry(new ZipEntry("payload.html"));
				zip.write("<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
