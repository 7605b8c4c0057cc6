package org.mlpages.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAccountTest {

	private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	@TempDir
	Path data;

	@Test
	void withNothingConfiguredAPasswordIsGeneratedOnceIntoAPrivateFile() throws Exception {
		UserDetails first = AdminAccount.resolve(new AdminAccountProperties("admin", null, null), data, encoder);
		String password = Files.readString(data.resolve("admin-password.txt")).strip();

		assertThat(password).hasSize(20);
		assertThat(encoder.matches(password, first.getPassword())).isTrue();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-password.txt"))))
			.isEqualTo("rw-------");

		Files.delete(data.resolve("admin-password.txt"));
		UserDetails afterRestart = AdminAccount.resolve(new AdminAccountProperties("admin", null, null), data, encoder);
		assertThat(encoder.matches(password, afterRestart.getPassword())).as("the same password after a restart")
			.isTrue();
		assertThat(data.resolve("admin-password.txt")).doesNotExist();
	}

	@Test
	void aPlainPasswordIsHashedAndAHashIsUsedAsItIs() {
		UserDetails plain = AdminAccount.resolve(new AdminAccountProperties("boss", "s3cret-passw0rd", null), data,
				encoder);
		String hash = encoder.encode("other-passw0rd");
		UserDetails hashed = AdminAccount.resolve(new AdminAccountProperties("boss", null, hash), data, encoder);

		assertThat(plain.getUsername()).isEqualTo("boss");
		assertThat(plain.getPassword()).doesNotContain("s3cret").startsWith("{bcrypt}");
		assertThat(encoder.matches("s3cret-passw0rd", plain.getPassword())).isTrue();
		assertThat(hashed.getPassword()).isEqualTo(hash);
		assertThat(new AdminAccountProperties("boss", "s3cret-passw0rd", null).toString()).doesNotContain("s3cret");
		assertThat(data.resolve("admin-password.txt")).doesNotExist();
	}

}
