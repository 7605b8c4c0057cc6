package org.mlpages.reliability;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * The mix of requests a class of students and their teacher send at once, from as many
 * clients as asked, each sending its next request as soon as it has its answer: photos of
 * varied sizes and formats to both image models through the API and the page, credit
 * decisions through the API and the form, page views in French and English by new
 * visitors, and the admin reading the history. Every answer is kept by kind with its
 * status and time, and every prediction id a client was given, so that a test can hold
 * the log to what the clients were told.
 */
final class MixedLoad {

	/** What a request is, with how often it comes in the mix (in hundredths). */
	enum Kind {

		PHOTO_API(22, true), PHOTO_PAGE(8, true), CREDIT_API(31, true), CREDIT_FORM(10, true), PAGE_VIEW(27, false),
		HISTORY(2, false);

		final int share;

		final boolean predicts;

		Kind(int share, boolean predicts) {
			this.share = share;
			this.predicts = predicts;
		}

	}

	private static final Path PHOTOS = Path.of("src/test/resources/photos");

	private static final Path APPLICANT = Path.of("src/test/resources/credit/applicant.json");

	private static final Pattern API_ID = Pattern.compile("\"id\":(\\d+)");

	private static final Pattern PAGE_ID = Pattern.compile("/predictions/(\\d+)$");

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final List<String> PAGES = List.of("/", "/about", "/credit", "/image/cat_dog_model",
			"/image/cats_vs_dogs", "/api/v1/models");

	private static final List<String> MODELS = List.of("cat_dog_model", "cats_vs_dogs");

	private final URI base;

	private final String adminPassword;

	private final List<NamedPhoto> photos;

	private final String creditJson;

	private final String creditForm;

	private final HttpClient http;

	private Session admin;

	MixedLoad(URI base, String adminPassword) {
		this(base, adminPassword, null);
	}

	/** Through a site served over HTTPS whose certificate this context trusts. */
	MixedLoad(URI base, String adminPassword, javax.net.ssl.SSLContext ssl) {
		HttpClient.Builder client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10));
		if (ssl != null) {
			client.sslContext(ssl);
		}
		this.http = client.build();
		this.base = base;
		this.adminPassword = adminPassword;
		this.photos = photos();
		this.creditJson = read(APPLICANT);
		this.creditForm = formOf(creditJson);
	}

	/**
	 * The admin's session for the history requests, logged in before the load: by the
	 * first run, or before it by a test whose fault must not come in the middle of the
	 * login (a database stopped, an app killed a few seconds into the load: on a slow
	 * machine a cold app took more than five seconds to log in and show the history).
	 */
	synchronized void logInTheAdmin() throws InterruptedException {
		if (admin == null) {
			Session session = new Session();
			session.logIn();
			admin = session;
		}
	}

	/** Runs until the duration has passed or {@code stop} says so, whichever is first. */
	Report run(int clients, Duration duration, BooleanSupplier stop) throws InterruptedException {
		return run(clients, duration, stop, EnumSet.allOf(Kind.class));
	}

	/** Only these kinds of request, in their shares of the mix. */
	Report run(int clients, Duration duration, BooleanSupplier stop, Set<Kind> kinds) throws InterruptedException {
		Report report = new Report();
		logInTheAdmin();
		Session admin = this.admin;
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			pool.execute(() -> {
				Session visitor = new Session();
				while (System.nanoTime() < end && !stop.getAsBoolean()) {
					Kind kind = pick(kinds);
					send(kind, kind == Kind.HISTORY ? admin : visitor, report);
				}
			});
		}
		pool.shutdown();
		if (!pool.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
			pool.shutdownNow();
			throw new IllegalStateException("the clients did not finish");
		}
		return report;
	}

	private static Kind pick(Set<Kind> kinds) {
		int roll = ThreadLocalRandom.current().nextInt(kinds.stream().mapToInt(kind -> kind.share).sum());
		for (Kind kind : kinds) {
			roll -= kind.share;
			if (roll < 0) {
				return kind;
			}
		}
		throw new IllegalStateException("no kind of request to send");
	}

	private void send(Kind kind, Session session, Report report) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long start = System.nanoTime();
		try {
			HttpResponse<String> response;
			try {
				HttpRequest request = switch (kind) {
					case PHOTO_API -> multipart("/api/v1/models/" + MODELS.get(random.nextInt(2)) + "/predictions",
							photos.get(random.nextInt(photos.size())))
						.header("Accept", "application/json")
						.build();
					case PHOTO_PAGE ->
						session
							.withCookie(
									multipart("/image/" + MODELS.get(random.nextInt(2)) + "?_csrf=" + session.csrf(),
											photos.get(random.nextInt(photos.size()))))
							.build();
					case CREDIT_API -> HttpRequest.newBuilder(base.resolve("/api/v1/models/credit/predictions"))
						.header("Content-Type", "application/json")
						.header("Accept", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(creditJson))
						.build();
					case CREDIT_FORM -> session.withCookie(HttpRequest.newBuilder(base.resolve("/credit")))
						.header("Content-Type", "application/x-www-form-urlencoded")
						.POST(HttpRequest.BodyPublishers.ofString(creditForm + "&_csrf=" + session.csrf()))
						.build();
					case PAGE_VIEW -> HttpRequest.newBuilder(base.resolve(PAGES.get(random.nextInt(PAGES.size()))))
						.header("Accept-Language", random.nextBoolean() ? "fr-FR,fr;q=0.9" : "en-GB,en;q=0.9")
						.build();
					case HISTORY -> session
						.withCookie(HttpRequest.newBuilder(
								base.resolve(random.nextInt(4) == 0 ? "/history/export.csv" : "/history?page=0")))
						.build();
				};
				response = http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (FormRefused refused) {
				response = refused.response;
			}
			answered(kind, response, start, report);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			report.failed(kind, ex);
		}
	}

	private static void answered(Kind kind, HttpResponse<String> response, long start, Report report)
			throws InterruptedException {
		report.answered(kind, response, (System.nanoTime() - start) / 1e6);
		if (response.statusCode() == 503) {
			// as a person told to try again in a few seconds, or a client that reads
			// the header, does
			Thread.sleep(1000 * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
		}
	}

	/** The page with a form's token answered 503: the request's answer. */
	private static final class FormRefused extends IOException {

		private final transient HttpResponse<String> response;

		FormRefused(HttpResponse<String> response) {
			super("the form's page answered " + response.statusCode());
			this.response = response;
		}

	}

	private HttpRequest.Builder multipart(String path, NamedPhoto photo) {
		String boundary = "----mixed-load-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream(photo.bytes().length + 256);
		// a name of its own per request, kept in its row: a request executed twice would
		// show as two rows with one name
		String name = photo.name()
			.replaceFirst("(\\.[^.]+)?$", "-" + boundary.substring(boundary.length() - 12) + "$1");
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + name
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		body.writeBytes(head);
		body.writeBytes(photo.bytes());
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(base.resolve(path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
	}

	/**
	 * A visitor's cookie and CSRF token, taken once (a browser keeps both for the
	 * session).
	 */
	private final class Session {

		private volatile String cookie;

		private volatile String csrf;

		String csrf() throws IOException, InterruptedException {
			if (csrf == null) {
				HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/login"));
				if (cookie != null) {
					request.header("Cookie", cookie);
				}
				HttpResponse<String> login = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				if (login.statusCode() == 503) {
					// the form a person would fill could not be had: their answer
					throw new FormRefused(login);
				}
				cookie = login.headers()
					.firstValue("Set-Cookie")
					.map(value -> value.substring(0, value.indexOf(';')))
					.orElse(cookie);
				if (cookie == null) {
					throw new IOException("no session cookie from /login");
				}
				Matcher token = CSRF.matcher(login.body());
				if (!token.find()) {
					throw new IOException("no CSRF token on /login");
				}
				csrf = token.group(1);
			}
			return csrf;
		}

		HttpRequest.Builder withCookie(HttpRequest.Builder request) throws IOException, InterruptedException {
			if (cookie == null) {
				csrf();
			}
			return request.header("Cookie", cookie);
		}

		void logIn() throws InterruptedException {
			try {
				String form = "username=admin&password=" + URLEncoder.encode(adminPassword, StandardCharsets.UTF_8)
						+ "&_csrf=" + URLEncoder.encode(csrf(), StandardCharsets.UTF_8);
				HttpResponse<String> loggedIn = http.send(withCookie(HttpRequest.newBuilder(base.resolve("/login")))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form))
					.build(), HttpResponse.BodyHandlers.ofString());
				// Spring Security gives a logged-in session a new id
				cookie = loggedIn.headers()
					.firstValue("Set-Cookie")
					.map(value -> value.substring(0, value.indexOf(';')))
					.orElse(cookie);
				String location = loggedIn.headers().firstValue("Location").orElse("");
				if (loggedIn.statusCode() != 302 || location.contains("/login")) {
					throw new IllegalStateException("the admin could not log in: " + loggedIn.statusCode());
				}
				// a new session has a new CSRF token
				csrf = null;
				String saved = cookie;
				HttpResponse<String> page = http.send(
						HttpRequest.newBuilder(base.resolve("/history")).header("Cookie", saved).build(),
						HttpResponse.BodyHandlers.ofString());
				if (page.statusCode() != 200) {
					throw new IllegalStateException("the admin's history answered " + page.statusCode());
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/** What the clients were answered, by kind. */
	static final class Report {

		private final Map<Kind, List<Answer>> answers = new EnumMap<>(Kind.class);

		private final Map<Kind, List<String>> failures = new EnumMap<>(Kind.class);

		private final Set<Long> predictionIds = ConcurrentHashMap.newKeySet();

		private final Map<String, String> unexpected = new ConcurrentHashMap<>();

		Report() {
			for (Kind kind : Kind.values()) {
				answers.put(kind, Collections.synchronizedList(new ArrayList<>()));
				failures.put(kind, Collections.synchronizedList(new ArrayList<>()));
			}
		}

		void answered(Kind kind, HttpResponse<String> response, double ms) {
			answers.get(kind).add(new Answer(response.statusCode(), ms));
			if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
				failures.get(kind).add("503 without Retry-After");
			}
			if (kind.predicts) {
				predictionId(response).ifPresent(predictionIds::add);
			}
			if (response.statusCode() >= 500 && response.statusCode() != 503) {
				String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
				unexpected.putIfAbsent(kind + " " + response.statusCode(),
						body.substring(0, Math.min(300, body.length())));
			}
		}

		/**
		 * The first answer of each kind and 5xx status other than 503, for a failure's
		 * message.
		 */
		Map<String, String> unexpectedServerErrors() {
			return Map.copyOf(unexpected);
		}

		void failed(Kind kind, IOException ex) {
			failures.get(kind).add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}

		private static java.util.Optional<Long> predictionId(HttpResponse<String> response) {
			if (response.statusCode() == 200) {
				Matcher id = API_ID.matcher(response.body());
				return id.find() ? java.util.Optional.of(Long.parseLong(id.group(1))) : java.util.Optional.empty();
			}
			if (response.statusCode() == 302) {
				Matcher id = PAGE_ID.matcher(response.headers().firstValue("Location").orElse(""));
				return id.find() ? java.util.Optional.of(Long.parseLong(id.group(1))) : java.util.Optional.empty();
			}
			return java.util.Optional.empty();
		}

		/** The ids of the predictions whose answer reached their client. */
		Set<Long> predictionIds() {
			return predictionIds;
		}

		/** Answers with this status class (2 for 2xx ...) of one kind. */
		long count(Kind kind, int statusClass) {
			synchronized (answers.get(kind)) {
				return answers.get(kind).stream().filter(a -> a.status() / 100 == statusClass).count();
			}
		}

		/**
		 * The predictions answered: the API's 200s and the pages' redirects to their
		 * result.
		 */
		long predictionAnswers() {
			return count(Kind.PHOTO_API, 2) + count(Kind.CREDIT_API, 2) + count(Kind.PHOTO_PAGE, 3)
					+ count(Kind.CREDIT_FORM, 3);
		}

		long count(int statusClass) {
			return Stream.of(Kind.values()).mapToLong(kind -> count(kind, statusClass)).sum();
		}

		long answers() {
			return Stream.of(Kind.values()).mapToLong(kind -> answers.get(kind).size()).sum();
		}

		/**
		 * Connection errors, resets, time-outs: requests that got no answer at all; and a
		 * 503 that does not say when to come back.
		 */
		List<String> failures() {
			return Stream.of(Kind.values()).flatMap(kind -> failures.get(kind).stream()).toList();
		}

		/**
		 * Status codes that are neither a success, a redirect nor an expected refusal.
		 */
		Map<Integer, Long> serverErrors() {
			Map<Integer, Long> errors = new LinkedHashMap<>();
			for (Kind kind : Kind.values()) {
				synchronized (answers.get(kind)) {
					answers.get(kind)
						.stream()
						.filter(a -> a.status() >= 500)
						.forEach(a -> errors.merge(a.status(), 1L, Long::sum));
				}
			}
			return errors;
		}

		/** A Markdown table: count, statuses and latency percentiles per kind. */
		String table(double seconds) {
			StringBuilder table = new StringBuilder(
					"| kind | answers | per s | 2xx | 3xx | 4xx | 5xx | no answer | p50 ms | p95 ms | p99 ms | max ms |\n"
							+ "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
			for (Kind kind : Kind.values()) {
				double[] ms;
				synchronized (answers.get(kind)) {
					ms = answers.get(kind).stream().mapToDouble(Answer::ms).sorted().toArray();
				}
				table.append(String.format(java.util.Locale.ROOT,
						"| %s | %d | %.1f | %d | %d | %d | %d | %d | %.0f | %.0f | %.0f | %.0f |%n",
						kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), ms.length,
						ms.length / seconds, count(kind, 2), count(kind, 3), count(kind, 4), count(kind, 5),
						failures.get(kind).size(), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99),
						ms.length == 0 ? 0 : ms[ms.length - 1]));
			}
			return table.toString();
		}

		/** The median latency of one kind's answers, in ms. */
		double p50(Kind kind) {
			double[] ms;
			synchronized (answers.get(kind)) {
				ms = answers.get(kind).stream().mapToDouble(Answer::ms).sorted().toArray();
			}
			return percentile(ms, 50);
		}

		private static double percentile(double[] sorted, double p) {
			if (sorted.length == 0) {
				return 0;
			}
			return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
		}

	}

	record Answer(int status, double ms) {
	}

	record NamedPhoto(String name, byte[] bytes) {
	}

	/**
	 * The test photos as they are (small JPEGs, a WebP), and one of them in the sizes and
	 * formats people send: a phone's JPEG, a screenshot's PNG, a GIF, a BMP.
	 */
	private static List<NamedPhoto> photos() {
		List<NamedPhoto> photos = new ArrayList<>();
		try (Stream<Path> files = Files.list(PHOTOS)) {
			files.filter(file -> file.toString().endsWith(".jpg"))
				.sorted()
				.forEach(file -> photos.add(new NamedPhoto(file.getFileName().toString(), readBytes(file))));
			photos.add(new NamedPhoto("holiday.webp", readBytes(Path.of("src/test/resources/photo/lossy.webp"))));
			BufferedImage source = ImageIO.read(PHOTOS.resolve("nasser0111_cat.jpg").toFile());
			photos.add(new NamedPhoto("IMG_2041.jpg", encoded(source, 3000, 2250, "jpg")));
			photos.add(new NamedPhoto("Screenshot 2026-12-01.png", encoded(source, 1280, 960, "png")));
			photos.add(new NamedPhoto("cat.gif", encoded(source, 400, 300, "gif")));
			photos.add(new NamedPhoto("scan.bmp", encoded(source, 800, 600, "bmp")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return List.copyOf(photos);
	}

	private static byte[] encoded(BufferedImage source, int width, int height, String format) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		graphics.drawImage(source, 0, 0, width, height, null);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (!ImageIO.write(image, format, out)) {
			throw new IOException("no ImageIO writer for " + format);
		}
		return out.toByteArray();
	}

	/** The applicant's answers as the credit page's form posts them. */
	private static String formOf(String json) {
		Matcher pair = Pattern.compile("\"([a-z_]+)\":\\s*\"([^\"]*)\"").matcher(json);
		List<String> fields = new ArrayList<>();
		while (pair.find()) {
			fields.add(pair.group(1) + "=" + URLEncoder.encode(pair.group(2), StandardCharsets.UTF_8));
		}
		return String.join("&", fields);
	}

	private static byte[] readBytes(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		return new String(readBytes(file), StandardCharsets.UTF_8);
	}

}
