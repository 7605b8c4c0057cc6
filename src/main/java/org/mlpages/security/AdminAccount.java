package org.mlpages.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Works out the admin account at start-up. With nothing configured, a password is
 * generated once and written to a file only its owner can read, never to the log: logs
 * travel (journald, log shippers), a 0600 file beside the database does not. Its hash is
 * kept so the password survives restarts.
 */
final class AdminAccount {

	private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);

	private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private AdminAccount() {
	}

	static UserDetails resolve(AdminAccountProperties properties, Path dataDir, PasswordEncoder encoder) {
		String hash;
		if (hasText(properties.passwordHash())) {
			hash = properties.passwordHash();
		}
		else if (hasText(properties.password())) {
			log.warn("The admin password is stored in plain text in the configuration; it is hashed for this run. "
					+ "Store mlpages.admin.password-hash instead (see application.yml.example).");
			hash = encoder.encode(properties.password());
		}
		else {
			hash = generated(dataDir, encoder);
		}
		return User.withUsername(properties.username()).password(hash).roles("ADMIN").build();
	}

	private static String generated(Path dataDir, PasswordEncoder encoder) {
		Path hashFile = dataDir.resolve("admin-password.hash");
		Path passwordFile = dataDir.resolve("admin-password.txt");
		try {
			if (Files.isRegularFile(hashFile)) {
				return Files.readString(hashFile).strip();
			}
			Files.createDirectories(dataDir);
			String password = randomPassword();
			String hash = encoder.encode(password);
			writePrivate(passwordFile, password + System.lineSeparator());
			writePrivate(hashFile, hash);
			log.warn(
					"No admin password is configured: one was generated and written to {} (readable by its owner "
							+ "only). Read it, then delete the file or set mlpages.admin.password-hash.",
					passwordFile.toAbsolutePath());
			return hash;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot keep the generated admin password in " + dataDir, ex);
		}
	}

	private static void writePrivate(Path file, String content) throws IOException {
		Files.deleteIfExists(file);
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			Files.createFile(file);
		}
		Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
	}

	private static String randomPassword() {
		SecureRandom random = new SecureRandom();
		StringBuilder password = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return password.toString();
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
