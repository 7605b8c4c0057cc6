package org.mlpages.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where the tests run {@code deploy/deploy.sh} and {@code deploy/setup-server.sh} from:
 * this repository, once it holds the Nginx site and the systemd unit they install. Until
 * then, a copy of {@code deploy/} and {@code models/} under {@code target/} with
 * stand-ins for the two files (said on the test's output), so that the scripts are tested
 * meanwhile.
 */
final class DeployKit {

	static final Path SITE = Path.of("deploy/nginx/mlpages.conf");

	static final Path UNIT = Path.of("deploy/systemd/mlpages.service");

	// the minimum the scripts need from the real site: port 80 redirecting, TLS at
	// certbot's paths, the app behind it
	private static final String STAND_IN_SITE = """
			# STAND-IN written by DeployKit (tests only) until deploy/nginx/mlpages.conf exists
			server {
			    listen 80;
			    server_name __DOMAIN__;
			    location /.well-known/acme-challenge/ { root /var/www/letsencrypt; }
			    location / { return 301 https://$host$request_uri; }
			}
			server {
			    listen 443 ssl;
			    server_name __DOMAIN__;
			    ssl_certificate /etc/letsencrypt/live/__DOMAIN__/fullchain.pem;
			    ssl_certificate_key /etc/letsencrypt/live/__DOMAIN__/privkey.pem;
			    client_max_body_size 11m;
			    location /actuator/ { return 404; }
			    location = /actuator/health { proxy_pass http://127.0.0.1:8080; }
			    location / {
			        proxy_pass http://127.0.0.1:8080;
			        proxy_set_header Host $host;
			        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			        proxy_set_header X-Forwarded-Proto $scheme;
			        proxy_set_header X-Forwarded-Port $server_port;
			    }
			}
			""";

	private static final String STAND_IN_UNIT = """
			# STAND-IN written by DeployKit (tests only) until deploy/systemd/mlpages.service exists
			[Unit]
			Description=mlpages (stand-in)
			After=network.target

			[Service]
			User=mlpages
			Group=mlpages
			WorkingDirectory=/var/lib/mlpages
			Environment=TF_CPP_MIN_LOG_LEVEL=1 "JAVA_OPTS=-Xmx512m -XX:+UseSerialGC"
			ExecStart=/usr/bin/java $JAVA_OPTS -jar /opt/mlpages/current/mlpages.jar \\
			    --server.address=127.0.0.1 --server.port=8080
			SuccessExitStatus=143
			Restart=on-failure

			[Install]
			WantedBy=multi-user.target
			""";

	private static Path copy;

	private DeployKit() {
	}

	static boolean complete() {
		return Files.isRegularFile(SITE) && Files.isRegularFile(UNIT);
	}

	/** The folder holding {@code deploy/} and {@code models/} to run the scripts from. */
	static synchronized Path repository() {
		if (complete()) {
			return Path.of("").toAbsolutePath();
		}
		if (copy != null) {
			return copy;
		}
		try {
			copy = Path.of("target/deploy-kit", UUID.randomUUID().toString()).toAbsolutePath();
			copyTree(Path.of("deploy"), copy.resolve("deploy"));
			copyTree(Path.of("models"), copy.resolve("models"));
			standIn(copy, SITE, STAND_IN_SITE);
			standIn(copy, UNIT, STAND_IN_UNIT);
			return copy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void standIn(Path copy, Path inRepository, String content) throws IOException {
		Path file = copy.resolve(inRepository.toString());
		if (!Files.exists(file)) {
			System.err
				.println("NOTE: the repository has no " + inRepository + " yet: the test uses a stand-in, " + file);
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Path target = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
	}

}
