package org.mlpages.deploy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A VPS made here: a fresh Debian container (podman,
 * {@code src/test/vps/make-vps-image.sh}) whose only service is sshd on a 127.0.0.1 port,
 * with root's key as a hosting provider hands it over. The operator follows the guide: a
 * sudo user first, then {@code deploy/deploy.sh} from this machine, over SSH only, with
 * the host key checked. It must leave the server serving mlpages through Nginx over https
 * (the certificate is the self-signed one {@code --self-signed} makes, in place of
 * certbot's), http redirecting to https, a photo and a credit decision answered through
 * it; a second run must change nothing; a new build must be installed beside the first
 * after a backup of the database, and {@code --rollback} must bring the first back.
 * <p>
 * What a container cannot do is checked as far as it goes, and the test says so: ufw
 * writes its rules but cannot load them (no netfilter rights), fail2ban's configuration
 * passes {@code fail2ban-client -t} but it is not started, and with no systemd as PID 1
 * the app runs from the unit's ExecStart, User, WorkingDirectory and Environment without
 * the rest of its sandbox. sshd's reload is real (SIGHUP): root's login and passwords are
 * refused afterwards.
 * <p>
 * Skipped when podman (or mmdebstrap, ssh, curl) is missing; under
 * {@code MLPAGES_REQUIRE_PODMAN=1} (CI) that is a failure instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployToAVpsIT {

	private static final String DOMAIN = "vps.mlpages.test";

	private static final Duration DEPLOY_LIMIT = Duration.ofMinutes(6);

	private static final Duration SHORT = Duration.ofMinutes(1);

	private static final String MARKER = "release-marker.txt";

	private final String container = "mlpages-vps-" + UUID.randomUUID().toString().substring(0, 8);

	private boolean started;

	private Path dir;

	private Path key;

	private Path knownHosts;

	private Path certificate;

	private Path repository;

	private Path jar;

	private int sshPort;

	private int httpPort;

	private int httpsPort;

	private String firstRelease;

	private String secondRelease;

	private int predictionsBeforeTheSecondRelease;

	@BeforeAll
	void rentAServer() throws Exception {
		List<String> missing = Stream.of("podman", "mmdebstrap", "ssh", "ssh-keygen", "curl")
			.filter(program -> !Commands.installed(program))
			.toList();
		if (!missing.isEmpty()) {
			String reason = "DeployToAVpsIT needs " + String.join(", ", missing)
					+ " (apt-get install podman mmdebstrap openssh-client curl)";
			if ("1".equals(System.getenv("MLPAGES_REQUIRE_PODMAN"))) {
				fail("MLPAGES_REQUIRE_PODMAN=1 and " + reason);
			}
			System.err.println("SKIPPED " + reason);
			assumeTrue(false, reason);
		}
		jar = packagedJar();
		repository = Path.of("").toAbsolutePath();
		dir = Files.createDirectories(Path.of("target/vps-it", container)).toAbsolutePath();

		Commands.Result image = Commands.run(Duration.ofMinutes(10), List.of("src/test/vps/make-vps-image.sh"));
		assertThat(image.ok()).as(image.describe()).isTrue();
		key = dir.resolve("id_ed25519");
		check(Commands.run(SHORT, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "operator@mlpages-test",
				"-f", key.toString())));
		check(Commands.run(SHORT,
				List.of("podman", "run", "-d", "--init", "--name", container, "--hostname", "vps", "-p",
						"127.0.0.1::22", "-p", "127.0.0.1::80", "-p", "127.0.0.1::443",
						image.output().strip().lines().reduce((first, last) -> last).orElseThrow())));
		started = true;
		sshPort = publishedPort(22);
		httpPort = publishedPort(80);
		httpsPort = publishedPort(443);

		// the provider's part: a host key made at first boot, the customer's key for root
		String hostKey = waitForHostKey();
		knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + sshPort + " " + hostKey + "\n");
		check(Commands.run(SHORT,
				List.of("podman", "exec", "-i", container, "sh", "-c",
						"cat > /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys"),
				key.resolveSibling("id_ed25519.pub")));
		waitForSsh();

		// the guide's first step: a sudo user to deploy with, so that root needs no login
		// at all
		check(ssh("root", String.join(" && ", "adduser --disabled-password --gecos '' deploy >/dev/null",
				"usermod -aG sudo deploy", "install -d -m 700 -o deploy -g deploy /home/deploy/.ssh",
				"install -m 600 -o deploy -g deploy /root/.ssh/authorized_keys /home/deploy/.ssh/authorized_keys",
				"echo 'deploy ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/deploy", "chmod 440 /etc/sudoers.d/deploy")));
	}

	@AfterAll
	void giveItBack() throws Exception {
		if (!started) {
			return;
		}
		try {
			// kept for reading after a failure: target/vps-it/<container>/server.log
			Commands.Result log = Commands.run(SHORT, List.of("podman", "exec", container, "sh", "-c",
					"tail -n 200 /var/log/mlpages/app.log; nginx -T 2>&1 | head -n 150"));
			Files.writeString(dir.resolve("server.log"), log.output());
		}
		finally {
			Commands.run(SHORT, List.of("podman", "rm", "-f", "-t", "0", container));
			Files.deleteIfExists(dir.resolve("second-build/" + jar.getFileName()));
		}
	}

	@Test
	@Order(1)
	void oneCommandPutsItOnline() throws Exception {
		Commands.Result deploy = deploy(jar);

		assertThat(deploy.ok()).as(deploy.describe()).isTrue();
		System.out.println(
				"first deploy (packages, hardening, certificate, first start): " + deploy.took().toSeconds() + " s");
		String output = deploy.output();
		assertThat(output).contains("mlpages is online: https://" + DOMAIN + "/")
			// the packages the server lacked were installed by the set-up
			.containsPattern("change: install .*\\bufw\\b")
			.containsPattern("change: install .*\\bsqlite3\\b")
			.containsPattern("change: install .*\\bunattended-upgrades\\b")
			.contains("change: create system user mlpages")
			.contains("change: make a self-signed certificate for " + DOMAIN)
			// what a container cannot do is said, not hidden
			.contains("NOT IN FORCE: this is a container without netfilter rights")
			.contains("NOT IN FORCE: no systemd here, fail2ban is not started")
			.contains("NOT IN FORCE: systemd is not PID 1 here");
		firstRelease = server("basename \"$(readlink /opt/mlpages/current)\"");
		assertThat(firstRelease).startsWith(jarVersion() + "-");

		certificate = dir.resolve("fullchain.pem");
		Files.writeString(certificate, server("cat /etc/letsencrypt/live/" + DOMAIN + "/fullchain.pem"));
		assertThat(https("/actuator/health").body()).contains("\"status\":\"UP\"");
		Answer home = https("/");
		assertThat(home.status()).isEqualTo(302);
		// the app's own redirects know they are behind https
		assertThat(home.location()).startsWith("https://" + DOMAIN);
		Answer demo = https("/demo");
		assertThat(demo.status()).isEqualTo(200);
		assertThat(demo.body()).contains("<html").doesNotContain("http://" + DOMAIN);
		Answer plain = curl(List.of("http://" + DOMAIN + ":" + httpPort + "/about"), httpPort);
		assertThat(plain.status()).isEqualTo(301);
		assertThat(plain.location()).isEqualTo("https://" + DOMAIN + "/about");

		Answer credit = https("/api/v1/models/credit/predictions", "-H", "Content-Type: application/json",
				"--data-binary", "@src/test/resources/credit/applicant.json");
		assertThat(credit.status()).as(credit.body()).isEqualTo(200);
		assertThat(credit.body()).containsPattern("\"decision\":\"(granted|refused)\"");
		Answer photo = https("/api/v1/models/cats_vs_dogs/predictions", "-F",
				"image=@src/test/resources/photos/cdf_validation_dog.2000.jpg");
		assertThat(photo.status()).as(photo.body()).isEqualTo(200);
		assertThat(photo.body()).contains("\"label\":\"Dog\"");
	}

	@Test
	@Order(2)
	void theServerIsSetUpAsTheCourseAsksAsFarAsAContainerAllows() throws Exception {
		// the service user and the files' owners and modes
		assertThat(server("getent passwd mlpages | cut -d: -f7")).isEqualTo("/usr/sbin/nologin");
		assertThat(server("stat -c '%a %U' /var/lib/mlpages/secrets.yml")).isEqualTo("600 mlpages");
		assertThat(server("grep -c 'password: \"[A-Za-z0-9]\\{24\\}\"' /var/lib/mlpages/secrets.yml")).isEqualTo("1");
		assertThat(server("stat -c '%U' /opt/mlpages/current/mlpages.jar /var/lib/mlpages/data"))
			.isEqualTo("root\nmlpages");
		assertThat(server("ps -o user= -p \"$(cat /run/mlpages.pid)\"")).isEqualTo("mlpages");
		assertThat(server("ls /var/lib/mlpages/models")).contains("cats_vs_dogs.h5", "credit.model");

		// SSH: the drop-in passes sshd -t and is in force after the reload (SIGHUP)
		assertThat(server("sshd -t && echo valid")).isEqualTo("valid");
		assertThat(server("sshd -T")).contains("passwordauthentication no", "kbdinteractiveauthentication no",
				"permitrootlogin no");
		Commands.Result root = ssh("root", "true");
		assertThat(root.ok()).as("root may no longer log in").isFalse();
		assertThat(root.output()).contains("Permission denied");
		Commands.Result password = Commands.run(SHORT,
				List.of("ssh", "-o", "BatchMode=yes", "-o", "PubkeyAuthentication=no", "-o",
						"UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes", "-p",
						String.valueOf(sshPort), "deploy@127.0.0.1", "true"));
		assertThat(password.output()).as("only keys are offered").contains("Permission denied (publickey)");

		// ufw: default deny, SSH, 80 and 443 allowed, in the rules files (not loaded: no
		// netfilter here)
		assertThat(server("grep '^DEFAULT_INPUT_POLICY' /etc/default/ufw")).isEqualTo("DEFAULT_INPUT_POLICY=\"DROP\"");
		String rules = server("cat /etc/ufw/user.rules");
		for (int port : new int[] { 22, 80, 443 }) {
			assertThat(rules).contains("-A ufw-user-input -p tcp --dport " + port + " -j ACCEPT");
		}
		// fail2ban: a jail for sshd that fail2ban accepts
		assertThat(server("cat /etc/fail2ban/jail.d/mlpages.local")).contains("[sshd]", "enabled = true", "port = 22");
		assertThat(server("fail2ban-client -t >/dev/null 2>&1 && echo accepted")).isEqualTo("accepted");
		// unattended upgrades on; rkhunter with its baseline and a weekly timer
		assertThat(server("apt-config dump APT::Periodic::Unattended-Upgrade"))
			.isEqualTo("APT::Periodic::Unattended-Upgrade \"1\";");
		assertThat(server("test -s /var/lib/rkhunter/db/rkhunter.dat && echo recorded")).isEqualTo("recorded");
		assertThat(server("cat /etc/systemd/system/mlpages-rkhunter.timer")).contains("OnCalendar=weekly");
		assertThat(server("nginx -t 2>&1")).contains("test is successful");
		// the nightly backup's script, run as its unit runs it (the timer needs systemd),
		// keeps the predictions
		String backup = server("runuser -u mlpages -- env MLPAGES_DB=/var/lib/mlpages/data/mlpages.db"
				+ " MLPAGES_BACKUP_DIR=/var/lib/mlpages/backups MLPAGES_BACKUP_COMPRESS=gzip"
				+ " MLPAGES_UPLOADS_DIR=/var/lib/mlpages/uploads /usr/local/lib/mlpages/mlpages-backup.sh >/dev/null"
				+ " && ls /var/lib/mlpages/backups/mlpages-*.db.gz");
		assertThat(server("gzip -dc " + backup + " > /tmp/nightly.db && sqlite3 /tmp/nightly.db"
				+ " 'PRAGMA integrity_check; SELECT COUNT(*) FROM prediction'"))
			.isEqualTo("ok\n2");
		assertThat(server("cat /etc/systemd/system/mlpages-backup.timer")).contains("OnCalendar=");
	}

	@Test
	@Order(3)
	void aSecondRunChangesNothing() throws Exception {
		String pid = server("cat /run/mlpages.pid");

		Commands.Result again = deploy(jar);

		assertThat(again.ok()).as(again.describe()).isTrue();
		System.out.println("second deploy, same jar: " + again.took().toSeconds() + " s");
		assertThat(again.output()).contains("the jar is not sent again")
			.contains("Nothing changed: release " + firstRelease + " was already serving https://" + DOMAIN + "/")
			.doesNotContain("change: ");
		assertThat(server("basename \"$(readlink /opt/mlpages/current)\"")).isEqualTo(firstRelease);
		assertThat(server("cat /run/mlpages.pid")).as("the app was not restarted").isEqualTo(pid);
	}

	@Test
	@Order(4)
	void aNewBuildIsInstalledBesideTheFirstAfterABackup() throws Exception {
		assertThat(https("/" + MARKER).status()).isEqualTo(404);
		Path second = secondBuild();

		Commands.Result deploy = deploy(second);

		assertThat(deploy.ok()).as(deploy.describe()).isTrue();
		System.out.println("deploy of a new build: " + deploy.took().toSeconds() + " s");
		secondRelease = server("basename \"$(readlink /opt/mlpages/current)\"");
		assertThat(secondRelease).isNotEqualTo(firstRelease);
		assertThat(deploy.output())
			.contains("change: switch /opt/mlpages/current from " + firstRelease + " to " + secondRelease);
		Answer marker = https("/" + MARKER);
		assertThat(marker.status()).isEqualTo(200);
		assertThat(marker.body()).isEqualTo("second build");
		assertThat(server("ls /opt/mlpages/releases")).contains(firstRelease, secondRelease);
		// the database as it was before the switch, with the predictions made through the
		// first release
		String backup = server("ls /var/lib/mlpages/backups/before-" + secondRelease + "-*.db");
		assertThat(server("sqlite3 " + backup + " 'PRAGMA integrity_check'")).isEqualTo("ok");
		predictionsBeforeTheSecondRelease = predictions(backup);
		assertThat(predictionsBeforeTheSecondRelease).isGreaterThanOrEqualTo(2);
		// one more, made through the second release only
		assertThat(https("/api/v1/models/credit/predictions", "-H", "Content-Type: application/json", "--data-binary",
				"@src/test/resources/credit/applicant.json")
			.status()).isEqualTo(200);
	}

	@Test
	@Order(5)
	void rollbackBringsThePreviousReleaseBack() throws Exception {
		Commands.Result rollback = run(List.of("--rollback", "--restore-database"));

		assertThat(rollback.ok()).as(rollback.describe()).isTrue();
		System.out.println("rollback with the database: " + rollback.took().toSeconds() + " s");
		assertThat(rollback.output()).contains("from " + secondRelease + " back to " + firstRelease)
			.contains("change: restore the database from /var/lib/mlpages/backups/before-" + secondRelease + "-")
			.contains("Rolled back");
		assertThat(server("basename \"$(readlink /opt/mlpages/current)\"")).isEqualTo(firstRelease);
		assertThat(https("/" + MARKER).status()).isEqualTo(404);
		assertThat(https("/actuator/health").body()).contains("\"status\":\"UP\"");
		// the database as the first release left it; what the second one wrote is set
		// aside, and backed up
		assertThat(predictions("/var/lib/mlpages/data/mlpages.db")).isEqualTo(predictionsBeforeTheSecondRelease);
		String aside = server("ls /var/lib/mlpages/backups/replaced-by-rollback-*.db");
		assertThat(predictions(aside)).isEqualTo(predictionsBeforeTheSecondRelease + 1);
		assertThat(server("ls /var/lib/mlpages/backups/")).contains("before-" + firstRelease + "-");
	}

	@Test
	@Order(6)
	void aDryRunShowsTheNextDeployAndChangesNothing() throws Exception {
		String pid = server("cat /run/mlpages.pid");

		Commands.Result dryRun = run(List.of("--domain", DOMAIN, "--self-signed", "--skip-dns-check", "--jar",
				dir.resolve("second-build").resolve(jar.getFileName()).toString(), "--dry-run"));

		assertThat(dryRun.ok()).as(dryRun.describe()).isTrue();
		assertThat(dryRun.output()).contains("Release " + secondRelease + " is already on the server")
			.contains("would: switch /opt/mlpages/current from " + firstRelease + " to " + secondRelease)
			.contains("would: restart the app")
			.contains("Dry run done")
			.doesNotContain("change: ");
		assertThat(server("basename \"$(readlink /opt/mlpages/current)\"")).isEqualTo(firstRelease);
		assertThat(server("cat /run/mlpages.pid")).isEqualTo(pid);
	}

	/**
	 * The certificate authority's part, with Pebble (Let's Encrypt's test server, from
	 * Debian) in place of Let's Encrypt: the self-signed certificate is replaced by one
	 * certbot obtains over HTTP-01 through the temporary port-80 site, the full site then
	 * serves it, and a renewal (certbot renew --dry-run) passes through the full site's
	 * challenge location.
	 */
	@Test
	@Order(7)
	void certbotGetsAndRenewsTheCertificate() throws Exception {
		Commands.Result pebble = Commands.run(SHORT, List.of("podman", "exec", "-i", container, "bash", "-s"),
				Path.of("src/test/vps/pebble.sh"));
		check(pebble);

		Commands.Result deploy = run(List.of("--domain", DOMAIN, "--email", "ops@example.com", "--skip-dns-check",
				"--acme-server", "https://127.0.0.1:14000/dir", "--jar", jar.toString()));

		if (!deploy.ok()) {
			// certbot's own words are in its log only (on the console: "An unexpected
			// error occurred")
			System.out
				.println(server("tail -n 60 /var/log/letsencrypt/letsencrypt.log; tail -n 30 /var/log/pebble.log"));
		}
		assertThat(deploy.ok()).as(deploy.describe()).isTrue();
		System.out.println("deploy with certbot (Pebble): " + deploy.took().toSeconds() + " s");
		assertThat(deploy.output())
			.contains("change: remove the self-signed certificate of an earlier --self-signed run")
			.contains("change: ask Let's Encrypt for a certificate for " + DOMAIN)
			.contains("mlpages is online: https://" + DOMAIN + "/");
		assertThat(server("openssl x509 -in /etc/letsencrypt/live/" + DOMAIN + "/cert.pem -noout -issuer"))
			.contains("Pebble");
		certificate = dir.resolve("pebble-root.pem");
		Files.writeString(certificate, server("cat /etc/pebble/root.pem"));
		assertThat(https("/actuator/health").body()).contains("\"status\":\"UP\"");
		assertThat(server("cat /etc/letsencrypt/renewal/" + DOMAIN + ".conf")).contains("authenticator = webroot")
			.contains("/var/www/letsencrypt");
		assertThat(server("test -x /etc/letsencrypt/renewal-hooks/deploy/mlpages-reload-nginx && echo hook"))
			.isEqualTo("hook");
		// --server: a dry run otherwise goes to Let's Encrypt's staging server, which the
		// test server cannot reach; --no-random-sleep-on-renew: without a terminal
		// certbot first
		// waits up to 8 minutes (as its timer does, to spread the load on Let's Encrypt)
		assertThat(
				server("certbot renew --dry-run --no-random-sleep-on-renew --server https://127.0.0.1:14000/dir 2>&1"))
			.contains("all simulated renewals succeeded");

		Commands.Result again = run(List.of("--domain", DOMAIN, "--email", "ops@example.com", "--skip-dns-check",
				"--acme-server", "https://127.0.0.1:14000/dir", "--jar", jar.toString()));
		assertThat(again.ok()).as(again.describe()).isTrue();
		assertThat(again.output()).contains("Nothing changed");
	}

	// ------------------------------------------------------------------------ helpers

	private int predictions(String database) throws IOException, InterruptedException {
		return Integer.parseInt(server("sqlite3 " + database + " 'SELECT COUNT(*) FROM prediction'"));
	}

	private Commands.Result deploy(Path build) throws IOException, InterruptedException {
		return run(List.of("--domain", DOMAIN, "--email", "ops@mlpages.test", "--self-signed", "--skip-dns-check",
				"--jar", build.toString()));
	}

	/** deploy.sh as the operator runs it: as the sudo user, with the host key checked. */
	private Commands.Result run(List<String> options) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("bash", repository.resolve("deploy/deploy.sh").toString(),
				"deploy@127.0.0.1", "--ssh-port", String.valueOf(sshPort), "--identity", key.toString(), "--ssh-option",
				"UserKnownHostsFile=" + knownHosts, "--ssh-option", "StrictHostKeyChecking=yes"));
		command.addAll(options);
		Commands.Result result = Commands.run(DEPLOY_LIMIT, command);
		Files.writeString(dir.resolve("deploy-" + Instant.now().toEpochMilli() + ".log"), result.describe());
		return result;
	}

	private Commands.Result ssh(String user, String remoteCommand) throws IOException, InterruptedException {
		return Commands.run(SHORT,
				List.of("ssh", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o",
						"UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes", "-p",
						String.valueOf(sshPort), user + "@127.0.0.1", remoteCommand));
	}

	/** A command run as root on the server, through podman: what the test inspects. */
	private String server(String shell) throws IOException, InterruptedException {
		Commands.Result result = Commands.run(SHORT, List.of("podman", "exec", container, "bash", "-c", shell));
		assertThat(result.ok()).as(result.describe()).isTrue();
		return result.output().strip();
	}

	record Answer(int status, String location, String body) {
	}

	/**
	 * A request to the site as a browser elsewhere makes it: by name, certificate
	 * checked.
	 */
	private Answer https(String path, String... options) throws IOException, InterruptedException {
		List<String> arguments = new ArrayList<>(List.of("--cacert", certificate.toString()));
		arguments.addAll(List.of(options));
		arguments.add("https://" + DOMAIN + ":" + httpsPort + path);
		return curl(arguments, httpsPort);
	}

	private Answer curl(List<String> arguments, int port) throws IOException, InterruptedException {
		Path body = Files.createTempFile(dir, "body-", ".txt");
		List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--resolve",
				DOMAIN + ":" + port + ":127.0.0.1", "-o", body.toString(), "-w", "%{http_code} %{redirect_url}"));
		command.addAll(arguments);
		Commands.Result result = Commands.run(Duration.ofSeconds(90), command);
		assertThat(result.ok()).as(result.describe()).isTrue();
		String[] statusAndLocation = result.output().strip().split(" ", 2);
		String text = Files.readString(body);
		Files.delete(body);
		return new Answer(Integer.parseInt(statusAndLocation[0]),
				statusAndLocation.length > 1 ? statusAndLocation[1] : "", text);
	}

	/**
	 * The same jar with one more file, served as a static page: a build the server has
	 * not seen, told apart through the site.
	 */
	private Path secondBuild() throws IOException {
		Path copy = Files.createDirectories(dir.resolve("second-build")).resolve(jar.getFileName().toString());
		Files.copy(jar, copy);
		try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + copy.toUri()), Map.of())) {
			Path marker = zip.getPath("BOOT-INF/classes/static/" + MARKER);
			Files.createDirectories(marker.getParent());
			Files.writeString(marker, "second build");
		}
		return copy;
	}

	private int publishedPort(int port) throws IOException, InterruptedException {
		Commands.Result result = Commands.run(SHORT, List.of("podman", "port", container, port + "/tcp"));
		check(result);
		String address = result.output().strip().lines().findFirst().orElseThrow();
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

	private String waitForHostKey() throws IOException, InterruptedException {
		Instant giveUp = Instant.now().plus(SHORT);
		while (Instant.now().isBefore(giveUp)) {
			Commands.Result key = Commands.run(SHORT,
					List.of("podman", "exec", container, "cat", "/etc/ssh/ssh_host_ed25519_key.pub"));
			if (key.ok()) {
				String[] parts = key.output().strip().split(" ");
				return parts[0] + " " + parts[1];
			}
			Thread.sleep(250);
		}
		throw new AssertionError("the server made no SSH host key in a minute");
	}

	private void waitForSsh() throws IOException, InterruptedException {
		Instant giveUp = Instant.now().plus(SHORT);
		Commands.Result last = null;
		while (Instant.now().isBefore(giveUp)) {
			last = ssh("root", "true");
			if (last.ok()) {
				return;
			}
			Thread.sleep(500);
		}
		throw new AssertionError("sshd did not let root in with the key: " + last.describe());
	}

	private static void check(Commands.Result result) {
		assertThat(result.ok()).as(result.describe()).isTrue();
	}

	private static Path packagedJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(f -> f.getFileName().toString().matches("mlpages-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no target/mlpages-*.jar: the IT runs after mvn package"))
				.toAbsolutePath();
		}
	}

	private String jarVersion() {
		String name = jar.getFileName().toString();
		return name.substring("mlpages-".length(), name.length() - ".jar".length());
	}

}
