package org.mlpages.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;
import org.mlpages.jar.UnitStart;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup an operator's timer takes, taken the way it runs on the server: the packaged
 * jar serves credit decisions to several clients at once, and
 * {@code deploy/backup/mlpages-backup.sh} copies its SQLite database (in WAL mode, as the
 * server's configuration asks) in the middle of it. The copy must be whole
 * ({@code PRAGMA integrity_check}) and hold every decision whose answer had reached its
 * client before the backup started. Then {@code deploy/backup/mlpages-restore.sh} puts it
 * back in the stopped app's folder, and the app started again on it shows exactly those
 * decisions in the admin's history export and goes on deciding.
 */
class BackupUnderLoadIT {

	private static final Path BACKUP = Path.of("deploy/backup/mlpages-backup.sh").toAbsolutePath();

	private static final Path RESTORE = Path.of("deploy/backup/mlpages-restore.sh").toAbsolutePath();

	private static final Path PHOTO = Path.of("src/test/resources/photos/cdf_validation_dog.2000.jpg");

	private static final Path APPLICANT = Path.of("src/test/resources/credit/applicant.json");

	private static final String API = "/api/v1/models/credit/predictions";

	private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

	private static final int CLIENTS = 4;

	@BeforeAll
	static void sqlite3() {
		RequiredTool.assumeInstalled("sqlite3", "MLPAGES_REQUIRE_SQLITE3", "sqlite3");
	}

	@Test
	void aBackupTakenUnderLoadRestoresEveryDecisionAnsweredBeforeIt() throws Exception {
		Path dir = PackagedApp.workDir();
		Path db = dir.resolve("mlpages.db");
		Path uploads = dir.resolve("uploads");
		Path backups = dir.resolve("backups");
		// WAL mode, as application.yml's URL sets it on the server, is kept in the file:
		// made so here, the jar's test URL (no options) keeps it
		assertThat(Command.run(List.of("sqlite3", db.toString(), "PRAGMA journal_mode=WAL")).output().strip())
			.isEqualTo("wal");
		String password = "pw-" + UUID.randomUUID();
		UnitStart unit = UnitStart.prepared().with("--mlpages.admin.password-hash={noop}" + password);
		int port = PackagedApp.freePort();

		Set<Long> answeredBeforeBackup;
		int answeredDuringBackup;
		Set<Long> answered = ConcurrentHashMap.newKeySet();
		long photoId;
		try (PackagedApp app = unit.start(dir, port)) {
			HttpClient http = HttpClient.newHttpClient();
			photoId = classifyAPhoto(app, http);
			answered.add(photoId);
			String applicant = Files.readString(APPLICANT);
			AtomicBoolean stop = new AtomicBoolean();
			List<String> refusals = new CopyOnWriteArrayList<>();
			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				running.add(clients.submit(() -> {
					while (!stop.get()) {
						HttpResponse<String> answer = http.send(HttpRequest.newBuilder(app.uri(API))
							.header("Content-Type", "application/json")
							.POST(HttpRequest.BodyPublishers.ofString(applicant))
							.build(), HttpResponse.BodyHandlers.ofString());
						Matcher id = ID.matcher(answer.body());
						if (answer.statusCode() != 200 || !id.find()) {
							refusals.add(answer.statusCode() + " " + answer.body());
							return null;
						}
						answered.add(Long.parseLong(id.group(1)));
					}
					return null;
				}));
			}
			try {
				waitForAnswers(answered, 200, refusals);
				answeredBeforeBackup = Set.copyOf(answered);
				Command backup = Command.run(List.of(BACKUP.toString(), "--db", db.toString(), "--dir",
						backups.toString(), "--keep", "3", "--uploads", uploads.toString()));
				answeredDuringBackup = answered.size() - answeredBeforeBackup.size();
				assertThat(backup.exitCode()).as(backup.toString()).isZero();
				assertThat(backup.output()).contains("integrity ok").contains("1 new");
				// the clients were answered during and after the backup: it blocked no
				// one
				waitForAnswers(answered, answered.size() + 2 * CLIENTS, refusals);
			}
			finally {
				stop.set(true);
				clients.shutdown();
			}
			for (Future<?> client : running) {
				client.get(1, TimeUnit.MINUTES);
			}
			assertThat(refusals).as("every request answered").isEmpty();
		}

		Path copy = onlyBackup(backups);
		assertThat(copy.getFileName().toString()).matches("mlpages-\\d{8}T\\d{6}Z\\.db\\.gz");
		Path unpacked = gunzip(copy, dir.resolve("unpacked.db"));
		Command check = Command.run(List.of("sqlite3", "-readonly", unpacked.toString(), "PRAGMA integrity_check"));
		assertThat(check.output().strip()).as(check.toString()).isEqualTo("ok");
		Set<Long> inBackup = ids(unpacked);
		assertThat(inBackup).as("every decision answered before the backup started").containsAll(answeredBeforeBackup);
		assertThat(answered).as("nothing in the backup that no client was answered").containsAll(inBackup);
		System.out.printf(
				"BackupUnderLoadIT: %d decisions answered before the backup, %d while it ran, %d in it, %d "
						+ "in all%n",
				answeredBeforeBackup.size(), answeredDuringBackup, inBackup.size(), answered.size());
		String photoFile = storedFile(unpacked, photoId);
		assertThat(backups.resolve("uploads").resolve(photoFile)).as("the photo mirrored after the database")
			.hasSameBinaryContentAs(PHOTO);

		// the server's disk lost the photos too; the stopped app's folder gets the backup
		FileSystemUtils.deleteRecursively(uploads);
		Files.createDirectories(uploads);
		Path hooks = dir.resolve("hooks.log");
		Command restore = Command.run(
				List.of(RESTORE.toString(), "--db", db.toString(), "--uploads", uploads.toString(), copy.toString()),
				Map.of("MLPAGES_STOP_COMMAND", "echo stop >> '" + hooks + "'", "MLPAGES_START_COMMAND",
						"echo start >> '" + hooks + "'"));
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(Files.readAllLines(hooks)).containsExactly("stop", "start");
		assertThat(restore.output()).contains("integrity ok").contains("holds " + inBackup.size() + " prediction(s)");
		assertThat(Command.run(List.of("sqlite3", db.toString(), "PRAGMA integrity_check")).output().strip())
			.isEqualTo("ok");
		assertThat(dir.resolve("mlpages.db-wal")).doesNotExist();
		assertThat(uploads.resolve(photoFile)).hasSameBinaryContentAs(PHOTO);
		Path kept = keptAside(dir);
		assertThat(ids(kept)).as("the database the restore replaced, kept aside whole").isEqualTo(answered);

		try (PackagedApp restored = unit.start(dir, port)) {
			HttpClient admin = HttpClient.newBuilder()
				.followRedirects(HttpClient.Redirect.NORMAL)
				.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
				.build();
			logIn(restored, admin, password);
			HttpResponse<String> csv = admin.send(HttpRequest.newBuilder(restored.uri("/history/export.csv")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(csv.statusCode()).isEqualTo(200);
			assertThat(idsInCsv(csv.body())).as("the restored app's history").isEqualTo(inBackup);

			HttpResponse<byte[]> servedPhoto = admin.send(
					HttpRequest.newBuilder(restored.uri("/uploads/" + photoFile)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(servedPhoto.statusCode()).isEqualTo(200);
			assertThat(servedPhoto.body()).isEqualTo(Files.readAllBytes(PHOTO));

			HttpResponse<String> next = admin.send(HttpRequest.newBuilder(restored.uri(API))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(Files.readString(APPLICANT)))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
		}
	}

	private static long classifyAPhoto(PackagedApp app, HttpClient http) throws IOException, InterruptedException {
		String boundary = "----mlpages" + UUID.randomUUID();
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"dog.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> answer = http
			.send(HttpRequest.newBuilder(app.uri("/api/v1/models/cats_vs_dogs/predictions"))
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
						HttpRequest.BodyPublishers.ofFile(PHOTO), HttpRequest.BodyPublishers.ofByteArray(tail)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		Matcher id = ID.matcher(answer.body());
		assertThat(id.find()).as(answer.body()).isTrue();
		return Long.parseLong(id.group(1));
	}

	/**
	 * Waits until the clients have been answered {@code count} times (or one refused).
	 */
	private static void waitForAnswers(Set<Long> answered, int count, List<String> refusals)
			throws InterruptedException {
		while (answered.size() < count && refusals.isEmpty()) {
			Thread.sleep(20);
		}
		assertThat(refusals).as("every request answered").isEmpty();
	}

	private static void logIn(PackagedApp app, HttpClient admin, String password)
			throws IOException, InterruptedException {
		HttpResponse<String> login = admin.send(HttpRequest.newBuilder(app.uri("/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		String csrf = Jsoup.parse(login.body()).selectFirst("input[name=_csrf]").attr("value");
		String form = "username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrf, StandardCharsets.UTF_8);
		HttpResponse<String> loggedIn = admin.send(HttpRequest.newBuilder(app.uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(loggedIn.uri().getPath()).as("logged in as admin").doesNotStartWith("/login");
	}

	private static Path onlyBackup(Path backups) throws IOException {
		try (Stream<Path> files = Files.list(backups)) {
			List<Path> copies = files.filter(f -> f.getFileName().toString().startsWith("mlpages-")).toList();
			assertThat(copies).as("one backup, no partial file left").hasSize(1);
			return copies.get(0);
		}
	}

	private static Path keptAside(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			List<Path> kept = files.filter(f -> f.getFileName().toString().matches("mlpages\\.db\\.before-restore-.*Z"))
				.toList();
			assertThat(kept).hasSize(1);
			return kept.get(0);
		}
	}

	private static Path gunzip(Path gz, Path target) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
				OutputStream out = Files.newOutputStream(target)) {
			in.transferTo(out);
		}
		return target;
	}

	private static Set<Long> ids(Path database) throws SQLException {
		Set<Long> ids = new HashSet<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("SELECT id FROM prediction")) {
			while (rows.next()) {
				ids.add(rows.getLong(1));
			}
		}
		return ids;
	}

	private static String storedFile(Path database, long id) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("SELECT stored_file FROM prediction WHERE id = " + id)) {
			assertThat(rows.next()).as("the photo's row " + id).isTrue();
			return rows.getString(1);
		}
	}

	private static Set<Long> idsInCsv(String csv) {
		Set<Long> ids = new TreeSet<>();
		csv.lines().skip(1).forEach(line -> ids.add(Long.parseLong(line.substring(0, line.indexOf(',')))));
		return ids;
	}

}
