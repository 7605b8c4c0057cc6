package org.mlpages.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The unit's lines an operator relies on, and systemd's own checks of it. Whether the
 * sandbox lets the app run is {@link ServiceSandboxIT}'s part.
 */
class ServiceUnitTests {

	private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

	private static final Pattern EXPOSURE = Pattern
		.compile("Overall exposure level for mlpages\\.service: (\\d+\\.\\d)");

	@Test
	void runsTheReleasedJarAsItsOwnUserAndRestartsOnlyOnFailure() throws Exception {
		ServiceUnit unit = ServiceUnit.shipped();
		assertThat(unit.one("User")).isEqualTo("mlpages");
		assertThat(unit.one("Group")).isEqualTo("mlpages");
		assertThat(unit.one("WorkingDirectory")).isEqualTo("/var/lib/mlpages");
		// the release's jar with a fast start prepared at its first start
		// (ServiceSandboxIT runs it)
		assertThat(unit.one("ExecStart"))
			.isEqualTo("/opt/mlpages/bin/run-prepared.sh /opt/mlpages/current/mlpages.jar");
		assertThat(unit.one("Restart")).isEqualTo("on-failure");
		// SIGTERM's exit status: a stop, not a failure
		assertThat(unit.one("SuccessExitStatus")).isEqualTo("143");
		// longer than Spring Boot's 30 s graceful shutdown
		assertThat(unit.one("TimeoutStopSec")).isEqualTo("45s");
		assertThat(unit.environment()).containsEntry("TF_CPP_MIN_LOG_LEVEL", "1")
			.containsEntry("MALLOC_ARENA_MAX", "2")
			.containsEntry("SERVER_ADDRESS", "127.0.0.1")
			.containsEntry("SERVER_PORT", "8080");
		// the proxy the app trusts: this machine alone
		assertThat(unit.environment().get("SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES"))
			.matches(regex -> "127.0.0.1".matches(regex) && "0:0:0:0:0:0:0:1".matches(regex)
					&& !"10.0.0.1".matches(regex) && !"192.168.1.1".matches(regex));
	}

	/** The figures the guide gives, from the RSS measured (see the unit's comments). */
	@Test
	void memoryIsSizedForASmallServer() throws Exception {
		ServiceUnit unit = ServiceUnit.shipped();
		assertThat(unit.javaOptions()).containsExactly("-Xms64m", "-Xmx192m", "-XX:NewRatio=1", "-XX:SurvivorRatio=2",
				"-XX:TargetSurvivorRatio=90", "-XX:MaxMetaspaceSize=192m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k",
				"-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djdk.nio.maxCachedBufferSize=65536",
				"-XX:ThreadPriorityPolicy=1", "-XX:CompilerThreadPriority=10");
		assertThat(unit.one("MemoryHigh")).isEqualTo("768M");
		assertThat(unit.one("MemoryMax")).isEqualTo("1G");
	}

	@Test
	void isSandboxed() throws Exception {
		ServiceUnit unit = ServiceUnit.shipped();
		assertThat(unit.one("ProtectSystem")).isEqualTo("strict");
		assertThat(unit.one("ReadWritePaths")).isEqualTo("/var/lib/mlpages");
		assertThat(unit.one("NoNewPrivileges")).isEqualTo("yes");
		assertThat(unit.one("PrivateTmp")).isEqualTo("yes");
		assertThat(unit.one("ProtectHome")).isEqualTo("yes");
		assertThat(unit.one("CapabilityBoundingSet")).isEmpty();
		assertThat(unit.one("RestrictAddressFamilies")).isEqualTo("AF_INET AF_INET6 AF_UNIX");
		assertThat(unit.one("SystemCallFilter")).isEqualTo("@system-service");
		assertThat(unit.one("SystemCallErrorNumber")).isEqualTo("EPERM");
		// the JIT needs memory it writes and then runs
		assertThat(unit.service()).doesNotContainKey("MemoryDenyWriteExecute");
	}

	/** systemd's score of the sandbox (0 best, 10 none): "OK" is below 5. */
	@Test
	void systemdAnalyzeRatesItsExposureLow() throws Exception {
		Result security = systemdAnalyze("security", "--offline=yes", "--no-pager", ServiceUnit.SHIPPED.toString());
		Matcher exposure = EXPOSURE.matcher(security.output());
		assertThat(exposure.find()).as(security.output()).isTrue();
		assertThat(Double.parseDouble(exposure.group(1))).isLessThanOrEqualTo(2.0);
	}

	private static Result systemdAnalyze(String... arguments) throws Exception {
		boolean installed = Files.isExecutable(SYSTEMD_ANALYZE);
		if (System.getenv("MLPAGES_REQUIRE_SANDBOX") != null) {
			assertThat(installed).as("systemd-analyze (package systemd) must be installed").isTrue();
		}
		assumeTrue(installed, "systemd-analyze is not installed (package systemd)");
		List<String> command = new java.util.ArrayList<>(List.of(SYSTEMD_ANALYZE.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Result(process.waitFor(), output);
	}

	private record Result(int status, String output) {
	}

}
