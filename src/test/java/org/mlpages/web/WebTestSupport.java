package org.mlpages.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real app on a random port, spoken to over HTTP as a browser or a client would. All
 * web tests share this one application context, so the model is converted and loaded once
 * per run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mlpages.admin.username=admin",
				"mlpages.admin.password-hash={noop}" + WebTestSupport.ADMIN_PASSWORD })
@ActiveProfiles("test")
abstract class WebTestSupport {

	static {
		TestModels.prepare();
	}

	static final Path PHOTOS = Path.of("src/test/resources/photos");

	static final Path UPLOADS = Path.of("target/test-uploads");

	static final String ADMIN_PASSWORD = "test-admin-password";

	/** One browser per test: its own cookies, so its own session and CSRF token. */
	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NORMAL)
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.build();

	@LocalServerPort
	int port;

	/** This test's browser: its cookies are its session. */
	HttpClient http() {
		return http;
	}

	@Autowired
	JdbcTemplate jdbc;

	URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	HttpResponse<String> get(String path, String acceptLanguage) {
		return send(HttpRequest.newBuilder(uri(path)).header("Accept-Language", acceptLanguage).GET());
	}

	/**
	 * Posts a file as the page's form does (with the session's CSRF token in its action
	 * URL) or as an API client does.
	 */
	HttpResponse<String> upload(String path, String field, String fileName, byte[] content, String acceptLanguage) {
		String target = path.startsWith("/api/") ? path : path + "?_csrf=" + csrfToken();
		return send(Multipart.file(field, fileName, content)
			.post(HttpRequest.newBuilder(uri(target)).header("Accept-Language", acceptLanguage)));
	}

	/** Posts a form as a browser does, with the session's CSRF token. */
	HttpResponse<String> postForm(String path, String form, String acceptLanguage) {
		String body = form.isEmpty() ? "_csrf=" + csrfToken() : form + "&_csrf=" + csrfToken();
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept-Language", acceptLanguage)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** The CSRF token of this test's session, as every form of the site carries it. */
	String csrfToken() {
		return html(get("/login", "en")).selectFirst("input[name=_csrf]").attr("value");
	}

	void logInAsAdmin() {
		HttpResponse<String> response = postForm("/login", "username=admin&password=" + ADMIN_PASSWORD, "en");
		if (response.uri().getPath().startsWith("/login")) {
			throw new IllegalStateException("admin login failed");
		}
	}

	/**
	 * A GET whose body the test reads as far as it wants, then drops, as a cancelled
	 * download.
	 */
	java.io.InputStream stream(String path) {
		try {
			return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofInputStream())
				.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	HttpResponse<String> send(HttpRequest.Builder request) {
		return send(request, http);
	}

	static HttpResponse<String> send(HttpRequest.Builder request, HttpClient client) {
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Document html(HttpResponse<String> response) {
		return Jsoup.parse(response.body());
	}

	static byte[] photo(String name) {
		try {
			return Files.readAllBytes(PHOTOS.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A PNG of this size drawn here, for photos whose size is the point of the test. */
	static byte[] png(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(new Color(200, 150, 100));
		g.fillRect(0, 0, width, height);
		g.setColor(new Color(40, 60, 90));
		g.fillOval(width / 4, height / 4, Math.max(1, width / 2), Math.max(1, height / 2));
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	long predictionRows() {
		return jdbc.queryForObject("select count(*) from prediction", Long.class);
	}

	static long storedUploads() {
		if (!Files.isDirectory(UPLOADS)) {
			return 0;
		}
		try (Stream<Path> files = Files.list(UPLOADS)) {
			return files.filter(file -> !file.getFileName().toString().startsWith(".")).count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A zip of these files, by name, in this order. */
	static byte[] zipOf(Map<String, byte[]> entries) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(entry.getKey()));
				zip.write(entry.getValue());
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** The batch at this API address once it is finished (done or failed). */
	JsonNode finishedBatch(String location) throws InterruptedException {
		for (int i = 0; i < 1200; i++) {
			JsonNode status = JsonMapper.builder().build().readTree(get(location, "en").body());
			if (status.get("state").asString().matches("done|failed")) {
				return status;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("batch not finished in 120 s: " + location);
	}

	/** A batch's results, header first. */
	static List<CSVRecord> batchResults(String csv) throws IOException {
		return CSVFormat.DEFAULT.parse(new StringReader(csv)).getRecords();
	}

	/** The results' row of this position in the batch, by column name. */
	static Map<String, String> resultRow(List<CSVRecord> results, int position) {
		List<String> header = results.get(0).toList();
		Map<String, String> row = new LinkedHashMap<>();
		List<String> cells = results.get(position).toList();
		for (int i = 0; i < header.size(); i++) {
			row.put(header.get(i), cells.get(i));
		}
		assertThat(row.get("row")).isEqualTo(Integer.toString(position));
		return row;
	}

}
