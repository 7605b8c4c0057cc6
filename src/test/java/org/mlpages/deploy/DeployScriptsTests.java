package org.mlpages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deploy scripts on this machine, without a server: {@code setup-server.sh --dry-run}
 * says what it would change and changes nothing; both scripts answer bad options with a
 * sentence saying what to give. The real run is {@link DeployToAVpsIT}.
 */
class DeployScriptsTests {

	private static final Duration LIMIT = Duration.ofMinutes(2);

	private static final Path REPOSITORY = Path.of("").toAbsolutePath();

	/**
	 * Everything setup-server.sh may change on a server (and apt's state, which an
	 * install or an update would change).
	 */
	private static final List<String> WATCHED = List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/ssh",
			"/etc/nginx", "/etc/fail2ban", "/etc/ufw", "/etc/default", "/etc/apt/apt.conf.d", "/etc/systemd/system",
			"/etc/letsencrypt", "/opt/mlpages", "/var/lib/mlpages", "/var/www", "/var/log/mlpages", "/run/mlpages.pid",
			"/var/lib/rkhunter", "/var/lib/dpkg/status", "/var/lib/apt/lists");

	@Test
	void aDryRunPrintsEveryChangeAndMakesNone() throws Exception {
		assumeTrue(Files.exists(Path.of("/etc/debian_version")), "setup-server.sh is for Debian and Ubuntu");
		Path jar = Files.createDirectories(Path.of("target/deploy-dry-run")).resolve("mlpages-test.jar");
		Files.write(jar, new byte[] { 'P', 'K', 3, 4 });
		String release = "dry-run-" + UUID.randomUUID();
		TreeMap<String, String> before = snapshot();

		Commands.Result dryRun = Commands.run(LIMIT,
				List.of("bash", REPOSITORY.resolve("deploy/setup-server.sh").toString(), "--dry-run", "--domain",
						"ml.example.org", "--email", "ops@example.org", "--jar", jar.toAbsolutePath().toString(),
						"--release", release, "--skip-dns-check"));

		assertThat(dryRun.ok()).as(dryRun.describe()).isTrue();
		assertThat(snapshot()).as("what the dry run left on this machine").isEqualTo(before);
		String output = dryRun.output();
		assertThat(output).startsWith("Dry run: nothing is changed")
			.contains("- packages", "- user and folders", "- firewall (ufw)", "- ssh", "- fail2ban",
					"- unattended upgrades", "- rootkit check (rkhunter)", "- release",
					"- certificate for ml.example.org", "- nginx site", "- service", "- health")
			.contains("  would: install release " + release + " in /opt/mlpages/releases/" + release)
			.containsPattern("(?m)^Dry run: \\d+ changes would be made; none was\\.$")
			.doesNotContain("  change: ");
		// what a server that was never set up lacks, this machine lacks too where it was
		// not set up
		if (!Files.exists(Path.of("/opt/mlpages"))) {
			assertThat(output).contains("  would: create /opt/mlpages (root:root, 0755)");
		}
		if (!Files.exists(Path.of("/var/lib/mlpages/secrets.yml"))) {
			assertThat(output)
				.contains("  would: write /var/lib/mlpages/secrets.yml (0600, mlpages) with a random admin password");
		}
		if (!Files.exists(Path.of("/etc/ssh/sshd_config.d/10-mlpages.conf"))) {
			assertThat(output).contains("  would: write /etc/ssh/sshd_config.d/10-mlpages.conf (new)");
		}
		if (!Files.exists(Path.of("/etc/letsencrypt/live/ml.example.org"))) {
			assertThat(output).contains(
					"  would: ask Let's Encrypt for a certificate for ml.example.org (certbot, webroot /var/www/letsencrypt)",
					"certbot certonly --webroot -w /var/www/letsencrypt --non-interactive --agree-tos -m ops@example.org -d ml.example.org");
		}
	}

	/**
	 * Before asking Let's Encrypt, the set-up compares the domain's A and AAAA records
	 * with the server's addresses. This machine cannot reach a DNS server, so {@code dig}
	 * is a stand-in that answers what the test says.
	 */
	@Test
	void theDnsCheckSaysWhatToFixBeforeCertbotRuns() throws Exception {
		assumeTrue(Files.exists(Path.of("/etc/debian_version")), "setup-server.sh is for Debian and Ubuntu");
		assertThat(dnsCheck("", "")).contains(
				"DNS: ml.example.org has no A or AAAA record yet. At your DNS provider, add an A record for ml.example.org pointing to this server's IPv4 address (",
				"then wait until `dig +short A ml.example.org` shows it and run this again.");
		assertThat(dnsCheck("198.51.100.4", "2001:db8::4")).contains(
				"DNS: ml.example.org points to 198.51.100.4 2001:db8::4, which is not this server (its addresses: ",
				"203.0.113.9", "remove an AAAA record you cannot point here: Let's Encrypt tries IPv6 first");
		assertThat(dnsCheck("203.0.113.9", "")).contains("DNS: ml.example.org points here (203.0.113.9)")
			.doesNotContain("which is not this server");
	}

	/** A dry run with a dig that answers {@code a} and {@code aaaa}. */
	private static String dnsCheck(String a, String aaaa) throws IOException, InterruptedException {
		Path bin = Files.createDirectories(Path.of("target/deploy-dns", UUID.randomUUID().toString()));
		Path dig = bin.resolve("dig");
		Files.writeString(dig, """
				#!/bin/sh
				# a stand-in for dig +short A|AAAA NAME
				case "$2" in A) [ -z "%s" ] || echo "%s" ;; AAAA) [ -z "%s" ] || echo "%s" ;; esac
				""".formatted(a, a, aaaa, aaaa));
		dig.toFile().setExecutable(true);
		Path jar = bin.resolve("mlpages-test.jar");
		Files.write(jar, new byte[] { 'P', 'K', 3, 4 });
		ProcessBuilder setup = new ProcessBuilder("bash", REPOSITORY.resolve("deploy/setup-server.sh").toString(),
				"--dry-run", "--domain", "ml.example.org", "--email", "ops@example.org", "--jar",
				jar.toAbsolutePath().toString(), "--release", "dns-" + UUID.randomUUID(), "--expect-ip", "203.0.113.9")
			.redirectErrorStream(true);
		setup.environment().put("PATH", bin.toAbsolutePath() + ":" + System.getenv("PATH"));
		Process process = setup.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

	@Test
	void setupServerSaysWhatIsWrongWithItsOptions() throws Exception {
		assumeTrue(Files.exists(Path.of("/etc/debian_version")), "setup-server.sh is for Debian and Ubuntu");
		Path script = REPOSITORY.resolve("deploy/setup-server.sh");
		assertThat(refused(List.of("bash", script.toString(), "--dry-run", "--domain", "not a domain")))
			.contains("--domain \"not a domain\" is not a domain name (expected something like ml.example.org).");
		assertThat(refused(
				List.of("bash", script.toString(), "--dry-run", "--domain", "ml.example.org", "--jar", "/no/such.jar")))
			.contains("--email is required for Let's Encrypt");
		assertThat(refused(List.of("bash", script.toString(), "--dry-run", "--domain", "ml.example.org",
				"--self-signed", "--jar", "/no/such.jar")))
			.contains("--jar /no/such.jar: no such file (or empty).");
	}

	@Test
	void deploySaysWhatIsWrongWithItsOptionsBeforeConnecting() throws Exception {
		String script = REPOSITORY.resolve("deploy/deploy.sh").toString();
		assertThat(refused(List.of("bash", script))).contains("which server? (user@host)");
		assertThat(refused(List.of("bash", script, "203.0.113.7", "--domain", "ml.example.org")))
			.contains("give the server as user@host (e.g. root@203.0.113.7 or deploy@ml.example.org).");
		assertThat(refused(List.of("bash", script, "root@203.0.113.7"))).contains("--domain is required");
		assertThat(refused(List.of("bash", script, "root@203.0.113.7", "--domain", "ml.example.org")))
			.contains("--email is required for the Let's Encrypt certificate");
		assertThat(refused(List.of("bash", script, "root@203.0.113.7", "--domain", "ml.example.org", "--self-signed",
				"--jar", "/no/such.jar")))
			.contains("--jar /no/such.jar: no such file.");
		assertThat(refused(List.of("bash", script, "root@203.0.113.7", "--frobnicate"))).contains("unknown option");
	}

	/**
	 * The test server's recipe; deploy/'s scripts are checked by
	 * ScriptsPassShellcheckTest.
	 */
	@Test
	void theTestServersRecipePassesShellcheck() throws Exception {
		assumeTrue(Commands.installed("shellcheck"), "shellcheck is not installed (apt-get install shellcheck)");
		Commands.Result shellcheck = Commands.run(LIMIT, List.of("shellcheck", "src/test/vps/make-vps-image.sh"));
		assertThat(shellcheck.ok()).as(shellcheck.describe()).isTrue();
	}

	private static String refused(List<String> command) throws IOException, InterruptedException {
		Commands.Result result = Commands.run(LIMIT, command);
		assertThat(result.exitCode()).as(result.describe()).isNotZero();
		return result.output();
	}

	/** Each watched file and folder: its type, size, time, owner and mode. */
	private static TreeMap<String, String> snapshot() throws IOException {
		TreeMap<String, String> state = new TreeMap<>();
		for (String watched : WATCHED) {
			Path root = Path.of(watched);
			if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
				state.put(watched, "absent");
				continue;
			}
			List<Path> paths = new ArrayList<>();
			try (Stream<Path> walk = Files.walk(root)) {
				walk.forEach(paths::add);
			}
			for (Path path : paths) {
				PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				String link = attributes.isSymbolicLink() ? " -> " + Files.readSymbolicLink(path) : "";
				state.put(path.toString(),
						attributes.size() + " " + attributes.lastModifiedTime() + " " + attributes.owner().getName()
								+ ":" + attributes.group().getName() + " "
								+ PosixFilePermissions.toString(attributes.permissions()) + link);
			}
		}
		return state;
	}

}
