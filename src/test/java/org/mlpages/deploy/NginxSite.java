package org.mlpages.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped Nginx site ({@code deploy/nginx/mlpages.conf}) run by the machine's own
 * Nginx: a self-signed certificate in place of certbot's, and the site file with only its
 * domain, certificate paths, listen ports, upstream port and ACME webroot changed, each
 * change checked to have matched so that a reshaped site file fails here instead of being
 * tested half-substituted. Nginx runs in the foreground with its prefix, pid, logs and
 * temporary files in a folder of its own under {@code target/}.
 */
public final class NginxSite implements AutoCloseable {

	static final Path SHIPPED = Path.of("deploy/nginx/mlpages.conf");

	/** Resolves to loopback everywhere, without touching /etc/hosts. */
	public static final String DOMAIN = "localhost";

	private static final List<Path> NGINX = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"));

	private final Process process;

	private final Path prefix;

	private NginxSite(Process process, Path prefix) {
		this.process = process;
		this.prefix = prefix;
	}

	/**
	 * Debian's nginx, or the test is skipped and says why; with
	 * {@code MLPAGES_REQUIRE_NGINX} set (CI) it fails instead.
	 */
	public static Path nginx() {
		Path nginx = NGINX.stream().filter(Files::isExecutable).findFirst().orElse(null);
		if (System.getenv("MLPAGES_REQUIRE_NGINX") != null) {
			assertThat(nginx).as("nginx must be installed (MLPAGES_REQUIRE_NGINX is set)").isNotNull();
		}
		assumeTrue(nginx != null, "nginx is not installed (apt-get install nginx-light or nginx)");
		return nginx;
	}

	/** A folder of its own under {@code target/}. */
	public static Path prefix() throws IOException {
		Path prefix = Files.createDirectories(Path.of("target/nginx-it", UUID.randomUUID().toString()))
			.toAbsolutePath();
		for (String dir : List.of("logs", "temp", "webroot")) {
			Files.createDirectories(prefix.resolve(dir));
		}
		return prefix;
	}

	/**
	 * A self-signed certificate for the domain, written as certbot writes its own
	 * ({@code fullchain.pem}, {@code privkey.pem}), made with the JDK's keytool.
	 */
	public static Certificate selfSigned(Path dir, String domain) throws Exception {
		Path keystore = dir.resolve("test.p12");
		char[] password = "changeit".toCharArray();
		Path keytool = Path.of(System.getProperty("java.home"), "bin/keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keystore", keystore.toString(),
				"-storetype", "PKCS12", "-storepass", new String(password), "-alias", "site", "-keyalg", "EC",
				"-groupname", "secp256r1", "-validity", "2", "-dname", "CN=" + domain, "-ext", "SAN=dns:" + domain)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keystore)) {
			store.load(in, password);
		}
		X509Certificate certificate = (X509Certificate) store.getCertificate("site");
		Path fullchain = dir.resolve("fullchain.pem");
		Path privkey = dir.resolve("privkey.pem");
		Files.writeString(fullchain, pem("CERTIFICATE", certificate.getEncoded()));
		Files.writeString(privkey, pem("PRIVATE KEY", store.getKey("site", password).getEncoded()));
		return new Certificate(fullchain, privkey, certificate);
	}

	/**
	 * The shipped site with the listed changes and none other.
	 * @param webroot in place of {@code /var/www/letsencrypt}
	 */
	static String site(Certificate certificate, int httpPort, int httpsPort, int appPort, Path webroot)
			throws IOException {
		return site(certificate, httpPort, httpsPort, List.of(appPort), webroot);
	}

	/**
	 * The shipped site with one upstream server line per instance, as the guide for
	 * several machines says.
	 */
	public static String site(Certificate certificate, int httpPort, int httpsPort, List<Integer> appPorts,
			Path webroot) throws IOException {
		String site = Files.readString(SHIPPED);
		String live = "/etc/letsencrypt/live/__DOMAIN__/";
		site = replace(site, live + "fullchain.pem;", certificate.fullchain() + ";", 1);
		site = replace(site, live + "privkey.pem;", certificate.privkey() + ";", 1);
		// the server names and the redirect's target (and the comments)
		assertThat(site).contains("server_name __DOMAIN__;", "return 301 https://__DOMAIN__$request_uri;");
		site = site.replace("__DOMAIN__", DOMAIN);
		site = replace(site, "listen 80;", "listen " + httpPort + ";", 1);
		site = replace(site, "listen [::]:80;", "listen [::]:" + httpPort + ";", 1);
		site = replace(site, "listen 443 ssl http2;", "listen " + httpsPort + " ssl http2;", 1);
		site = replace(site, "listen [::]:443 ssl http2;", "listen [::]:" + httpsPort + " ssl http2;", 1);
		// every instance in the main upstream; the admin's pages to the first, the others
		// as its backups
		String server = "\tserver 127.0.0.1:8080 max_fails=2 fail_timeout=10s;\n";
		StringBuilder all = new StringBuilder();
		StringBuilder firstThenBackups = new StringBuilder();
		for (int port : appPorts) {
			all.append(server.replace(":8080 ", ":" + port + " "));
			firstThenBackups.append(server.replace(":8080 ", ":" + port + " ")
				.replace(";", firstThenBackups.isEmpty() ? ";" : " backup;"));
		}
		site = replace(site, "least_conn;\n" + server, "least_conn;\n" + all, 1);
		site = replace(site, "upstream mlpages_admin {\n" + server, "upstream mlpages_admin {\n" + firstThenBackups, 1);
		return replace(site, "root /var/www/letsencrypt;", "root " + webroot + ";", 1);
	}

	/**
	 * A main configuration holding the site as Debian's nginx.conf holds it (inside
	 * {@code http}, after {@code mime.types}), with everything Nginx writes under the
	 * prefix.
	 */
	public static Path configuration(Path prefix, String site) throws IOException {
		Files.writeString(prefix.resolve("mlpages.conf"), site);
		String main = """
				pid %1$s/nginx.pid;
				error_log %1$s/logs/error.log info;
				worker_processes 1;
				events {
					worker_connections 512;
				}
				http {
					include /etc/nginx/mime.types;
					default_type application/octet-stream;
					log_format upstreams '$request_method $uri $status upstream=$upstream_addr';
					access_log %1$s/logs/access.log upstreams;
					client_body_temp_path %1$s/temp/body;
					proxy_temp_path %1$s/temp/proxy;
					fastcgi_temp_path %1$s/temp/fastcgi;
					uwsgi_temp_path %1$s/temp/uwsgi;
					scgi_temp_path %1$s/temp/scgi;
					include %1$s/mlpages.conf;
				}
				""".formatted(prefix);
		Path conf = prefix.resolve("nginx.conf");
		Files.writeString(conf, main);
		return conf;
	}

	/** {@code nginx -t}: its exit status and what it said. */
	static Result check(Path nginx, Path prefix, Path conf) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(nginx.toString(), "-t", "-p", prefix.toString(), "-c", conf.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Result(process.waitFor(), output);
	}

	/** Starts Nginx in the foreground and returns once it accepts connections. */
	public static NginxSite start(Path nginx, Path prefix, Path conf, int httpsPort) throws Exception {
		Result test = check(nginx, prefix, conf);
		assertThat(test.status()).as(test.output()).isZero();
		Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g",
				"daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(prefix.resolve("logs/stdout.log").toFile())
			.start();
		NginxSite site = new NginxSite(process, prefix);
		Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(giveUp)) {
			if (!process.isAlive()) {
				throw new AssertionError("nginx stopped:\n" + site.errorLog());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", httpsPort), 1000);
				return site;
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		site.close();
		throw new AssertionError("nginx did not listen on " + httpsPort + " in 30 s:\n" + site.errorLog());
	}

	/**
	 * The access log: a line per request, with its method, path, status and the instances
	 * tried ({@code upstream=127.0.0.1:8081, 127.0.0.1:8082}).
	 */
	public List<String> accessLog() throws IOException {
		Path log = prefix.resolve("logs/access.log");
		return Files.exists(log) ? Files.readAllLines(log) : List.of();
	}

	public String errorLog() throws IOException {
		Path log = prefix.resolve("logs/error.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

	/** SIGTERM: Nginx's fast shutdown. */
	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
	}

	private static String replace(String text, String literal, String replacement, int expected) {
		int count = text.split(java.util.regex.Pattern.quote(literal), -1).length - 1;
		assertThat(count).as("occurrences of \"%s\" in %s", literal, SHIPPED).isEqualTo(expected);
		return text.replace(literal, replacement);
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	record Result(int status, String output) {
	}

	public record Certificate(Path fullchain, Path privkey, X509Certificate certificate) {

		/** Trusts this certificate alone, as a browser trusts a real one. */
		public SSLContext trustingIt() throws Exception {
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("site", certificate);
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), null);
			return context;
		}

	}

}
