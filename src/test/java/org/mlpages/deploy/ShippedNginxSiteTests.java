package org.mlpages.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code nginx -t} on the shipped site as the server set-up installs it: the domain and
 * the certificate's paths filled in, its ports (80, 443), upstream and ACME webroot as
 * shipped. {@code nginx -t} binds no port, so the real ports are checked as they are.
 */
class ShippedNginxSiteTests {

	private static final Path DEBIAN_CONF = Path.of("/etc/nginx/nginx.conf");

	private static final Path ACME_SITE = Path.of("deploy/nginx/mlpages-acme.conf");

	private static final Path DEBIAN_DEFAULT_SITE = Path.of("/etc/nginx/sites-available/default");

	@Test
	void nginxAcceptsTheShippedSite() throws Exception {
		Path nginx = NginxSite.nginx();
		Path prefix = NginxSite.prefix();
		Path conf = NginxSite.configuration(prefix, shippedWithDomainAndCertificate(prefix));

		NginxSite.Result test = NginxSite.check(nginx, prefix, conf);

		assertThat(test.status()).as(test.output()).isZero();
		assertThat(test.output()).contains("syntax is ok", "test is successful").doesNotContain("[warn]");
	}

	/**
	 * Inside Debian's own nginx.conf, where sites-enabled/ is included (its http-level
	 * gzip, ssl_protocols and the rest), beside Debian's default site, which the operator
	 * may not have removed: no conflict, no warning.
	 */
	@Test
	void nginxAcceptsTheSiteInDebiansOwnConfigurationBesideTheDefaultSite() throws Exception {
		Path nginx = NginxSite.nginx();
		assumeTrue(Files.isReadable(DEBIAN_CONF), "no Debian nginx.conf at " + DEBIAN_CONF);
		// Debian's nginx.conf names www-data and opens /var/log/nginx: root's, as on the
		// server
		boolean root = "root".equals(System.getProperty("user.name"));
		if (System.getenv("MLPAGES_REQUIRE_NGINX") != null) {
			assertThat(root).as("runs as root where MLPAGES_REQUIRE_NGINX is set").isTrue();
		}
		assumeTrue(root, "Debian's nginx.conf is only checked as root");
		Path prefix = NginxSite.prefix();
		Path site = prefix.resolve("mlpages.conf");
		Files.writeString(site, shippedWithDomainAndCertificate(prefix));
		String sites = "include " + site + ";";
		if (Files.isReadable(DEBIAN_DEFAULT_SITE)) {
			sites = "include " + DEBIAN_DEFAULT_SITE + ";\n\t" + sites;
		}
		String debian = Files.readString(DEBIAN_CONF);
		assertThat(debian).contains("include /etc/nginx/sites-enabled/*;");
		Path conf = prefix.resolve("nginx.conf");
		Files.writeString(conf, debian.replace("include /etc/nginx/sites-enabled/*;", sites));

		NginxSite.Result test = NginxSite.check(nginx, prefix, conf);

		assertThat(test.status()).as(test.output()).isZero();
		assertThat(test.output()).contains("test is successful").doesNotContain("[warn]");
	}

	/**
	 * The site for the first certificate: Nginx starts on it with no certificate at all,
	 * serves certbot's challenge file from the webroot and nothing else.
	 */
	@Test
	void theSiteForTheFirstCertificateServesCertbotsChallengeAlone() throws Exception {
		Path nginx = NginxSite.nginx();
		Path prefix = NginxSite.prefix();
		Path webroot = prefix.resolve("webroot");
		int port = PackagedApp.freePort();
		String site = Files.readString(ACME_SITE);
		assertThat(site).contains("listen 80;", "listen [::]:80;", "root /var/www/letsencrypt;")
			.doesNotContain("ssl_certificate");
		site = site.replace("__DOMAIN__", NginxSite.DOMAIN)
			.replace("listen 80;", "listen " + port + ";")
			.replace("listen [::]:80;", "listen [::]:" + port + ";")
			.replace("root /var/www/letsencrypt;", "root " + webroot + ";");
		Path challenge = Files.createDirectories(webroot.resolve(".well-known/acme-challenge"));
		Files.writeString(challenge.resolve("token-7"), "token-7.key-authorization");
		HttpClient http = HttpClient.newHttpClient();
		try (NginxSite running = NginxSite.start(nginx, prefix, NginxSite.configuration(prefix, site), port)) {
			HttpResponse<String> answer = http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/.well-known/acme-challenge/token-7"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.body()).isEqualTo("token-7.key-authorization");
			HttpResponse<String> other = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(other.statusCode()).isEqualTo(503);
		}
	}

	private static String shippedWithDomainAndCertificate(Path prefix) throws Exception {
		NginxSite.Certificate certificate = NginxSite.selfSigned(prefix, NginxSite.DOMAIN);
		String live = "/etc/letsencrypt/live/__DOMAIN__/";
		String site = Files.readString(NginxSite.SHIPPED);
		assertThat(site).contains(live + "fullchain.pem;", live + "privkey.pem;");
		return site.replace(live + "fullchain.pem;", certificate.fullchain() + ";")
			.replace(live + "privkey.pem;", certificate.privkey() + ";")
			.replace("__DOMAIN__", NginxSite.DOMAIN);
	}

}
