package org.mlpages.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The settings files as Spring reads them at start-up: the real application.yml, the real
 * post-processors and loaders from spring.factories, files imported from a temporary
 * folder, and environment variables given to the application as the operating system
 * would. No beans: only the environment is looked at.
 */
class SettingsFilesTests {

	private static final String SECRET = "pw-9f3a1c7e-never-printed";

	@TempDir
	Path dir;

	@Configuration(proxyBeanMethods = false)
	static class NoBeans {

	}

	@Test
	void withoutSecretsTheAppUsesItsSqliteFileWithSqlitesDialect() {
		ConfigurableEnvironment environment = start(Map.of());

		assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:sqlite:data/mlpages.db?");
		assertThat(environment.getProperty("spring.jpa.database-platform"))
			.isEqualTo("org.hibernate.community.dialect.SQLiteDialect");
		assertThat(environment.getProperty("spring.flyway.locations"))
			.isEqualTo("classpath:db/migration/common,classpath:db/migration/{vendor}");
	}

	@Test
	void applicationYmlImportsBothSecretsFilesOptionally() throws IOException {
		String yaml = new ClassPathResource("application.yml")
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);

		assertThat(yaml).contains("- optional:file:./secrets.yml", "- optional:file:./.streamlit/secrets.toml");
	}

	@Test
	void aYamlSecretsFileInSpringsShapeSetsTheDatabaseAndTheAdminAccount() throws IOException {
		Path yaml = write("secrets.yml", """
				spring:
				  datasource:
				    url: jdbc:mysql://db.example.org:3306/mlpages
				    username: mlpages
				    password: %s
				mlpages:
				  admin:
				    username: boss
				    password-hash: "{bcrypt}$2a$10$abcdefghijklmnopqrstuv"
				  retention:
				    days: 30
				""".formatted(SECRET));

		ConfigurableEnvironment environment = start(Map.of(), yaml);

		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:mysql://db.example.org:3306/mlpages");
		assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("mlpages");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(SECRET);
		assertThat(environment.getProperty("mlpages.admin.username")).isEqualTo("boss");
		assertThat(environment.getProperty("mlpages.admin.password-hash")).startsWith("{bcrypt}");
		assertThat(environment.getProperty("mlpages.retention.days", Integer.class)).isEqualTo(30);
		// MySQL: Hibernate asks the server for its dialect; the driver converts times in
		// UTC
		assertThat(environment.getProperty("spring.jpa.database-platform")).isNull();
		assertThat(environment.getProperty("spring.datasource.hikari.data-source-properties.connectionTimeZone"))
			.isEqualTo("UTC");
	}

	@Test
	void aStreamlitSecretsFileSetsTheDatabaseFromItsFirstConnection() throws IOException {
		Path toml = write(".streamlit/secrets.toml", """
				# a Streamlit app's own secret: not for mlpages, never a property
				openai_api_key = "sk-not-for-us"

				[connections.mlpages_db]
				dialect = "mariadb"
				host = "db.example.org"
				port = "3307"
				database = "mlpages"
				username = "mlpages"
				password = "%s"
				query = { sslMode = "REQUIRED" }

				[connections.other]
				dialect = "sqlite"
				database = "other.db"

				[admin]
				username = "boss"
				password_hash = "{bcrypt}$2a$10$abcdefghijklmnopqrstuv"

				[mlpages.retention]
				days = 90
				""".formatted(SECRET));

		ConfigurableEnvironment environment = start(Map.of(), toml);

		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:mysql://db.example.org:3307/mlpages?sslMode=REQUIRED");
		assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("mlpages");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(SECRET);
		assertThat(environment.getProperty("mlpages.admin.username")).isEqualTo("boss");
		assertThat(environment.getProperty("mlpages.admin.password-hash")).startsWith("{bcrypt}$2a$10$");
		assertThat(environment.getProperty("mlpages.retention.days")).isEqualTo("90");
		assertThat(environment.containsProperty("openai_api_key")).isFalse();
	}

	@Test
	void theReadmesStreamlitExampleReadsAsDocumented() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		int start = readme.indexOf("```toml\n", readme.indexOf("## Configuration and secrets")) + "```toml\n".length();
		Path toml = write("readme.toml", readme.substring(start, readme.indexOf("```", start)));

		ConfigurableEnvironment environment = start(Map.of(), toml);

		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:mysql://db.example.org:3306/mlpages");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("change-me");
		assertThat(environment.getProperty("mlpages.admin.password-hash")).startsWith("{bcrypt}");
		assertThat(environment.getProperty("mlpages.retention.days")).isEqualTo("90");
	}

	@Test
	void mlpagesConnectionChoosesAnotherTableAndASqliteFileGetsTheDefaultOptions() throws IOException {
		Path toml = write("secrets.toml", """
				[mlpages]
				connection = "local"

				[connections.server]
				dialect = "mysql"
				database = "mlpages"

				[connections.local]
				dialect = "sqlite"
				database = "target/elsewhere/log.db"
				""");

		ConfigurableEnvironment environment = start(Map.of(), toml);

		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo(
				"jdbc:sqlite:target/elsewhere/log.db?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true");
		assertThat(environment.getProperty("spring.jpa.database-platform"))
			.isEqualTo("org.hibernate.community.dialect.SQLiteDialect");
	}

	@Test
	void aSqlAlchemyUrlIsReadWithItsPasswordKeptOutOfTheJdbcUrl() throws IOException {
		Path toml = write("secrets.toml", """
				[connections.sql]
				url = "mysql+pymysql://mlpages:p%40ss%3Aword@db.example.org:3310/predictions?charset=utf8mb4"
				""");

		ConfigurableEnvironment environment = start(Map.of(), toml);

		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:mysql://db.example.org:3310/predictions?charset=utf8mb4");
		assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("mlpages");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("p@ss:word");
	}

	@Test
	void environmentVariablesOverrideBothFiles() throws IOException {
		Path yaml = write("secrets.yml", """
				spring.datasource.password: from-yaml
				mlpages.retention.days: 30
				""");
		Path toml = write("secrets.toml", """
				[connections.db]
				dialect = "mysql"
				database = "mlpages"
				password = "from-toml"
				""");

		ConfigurableEnvironment environment = start(
				Map.of("SPRING_DATASOURCE_PASSWORD", "from-env", "MLPAGES_RETENTION_DAYS", "7"), yaml, toml);

		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("from-env");
		assertThat(environment.getProperty("mlpages.retention.days")).isEqualTo("7");
		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:mysql://localhost:3306/mlpages");
	}

	@Test
	void theTomlFileRanksAboveTheYamlFileWhichRanksAboveTheEmbeddedDefaults() throws IOException {
		Path yaml = write("secrets.yml", """
				spring.datasource.password: from-yaml
				mlpages.retention.days: 30
				mlpages.uploads-dir: from-yaml
				""");
		Path toml = write("secrets.toml", """
				[connections.db]
				dialect = "mysql"
				database = "mlpages"
				password = "from-toml"
				""");

		ConfigurableEnvironment environment = start(Map.of(), yaml, toml);

		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("from-toml");
		assertThat(environment.getProperty("mlpages.retention.days")).isEqualTo("30");
		assertThat(environment.getProperty("mlpages.uploads-dir")).isEqualTo("from-yaml");
	}

	@Test
	void aMalformedYamlFileNamesTheFileTheLineAndTheKeyButNotTheValue() throws IOException {
		write("secrets.yml", """
				spring:
				  datasource:
				    url: jdbc:mysql://localhost/mlpages
				    password: "%s
				    username: mlpages
				mlpages:
				  retention:
				    days: 30
				""".formatted(SECRET));

		SecretsFileException failure = catchSecretsFailure(() -> new YamlSettingsCheck(dir)
			.postProcessEnvironment(new StandardEnvironment(), new SpringApplication()));

		assertThat(failure.getFile()).isEqualTo("settings file secrets.yml");
		assertThat(failure.getKey()).startsWith("spring.datasource.");
		assertThat(failure.getLine()).isBetween(4, 6);
		assertThat(failure.getMessage()).startsWith("Settings file secrets.yml, line ").doesNotContain(SECRET);
	}

	@Test
	void aYamlTabIsReportedOnItsLineWithItsKey() throws IOException {
		write("secrets.yml", "mlpages:\n  admin:\n\tpassword: " + SECRET + "\n");

		SecretsFileException failure = catchSecretsFailure(() -> new YamlSettingsCheck(dir)
			.postProcessEnvironment(new StandardEnvironment(), new SpringApplication()));

		assertThat(failure.getMessage())
			.startsWith(
					"Settings file secrets.yml, line 3, key 'mlpages.admin.password': not valid YAML (found character")
			.doesNotContain(SECRET);
	}

	@Test
	void aMalformedTomlFileStopsStartUpNamingTheFileTheLineAndTheKey() throws IOException {
		Path toml = write("secrets.toml", """
				[connections.db]
				dialect = "mysql"
				database = "mlpages"
				password = %s
				""".formatted(SECRET));

		SecretsFileException failure = catchSecretsFailure(() -> start(Map.of(), toml));

		assertThat(failure.getMessage()).isEqualTo(
				"Settings file " + toml + ", line 4, key 'connections.db.password': not valid TOML (Unknown token)");
		FailureAnalysis analysis = new SecretsFileFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
		assertThat(analysis.getAction()).contains("line 4");
	}

	@Test
	void aWrongValueInAStreamlitConnectionIsReportedOnItsLine() throws IOException {
		Path toml = write("secrets.toml", """
				[connections.db]
				dialect = "mysql"
				host = "db.example.org"
				port = "three thousand"
				database = "mlpages"
				""");

		SecretsFileException failure = catchSecretsFailure(() -> start(Map.of(), toml));

		assertThat(failure.getMessage()).isEqualTo("Settings file " + toml
				+ ", line 4, key 'connections.db.port': must be a whole number from 1 to 65535");
	}

	@Test
	void anUnknownDialectOrConnectionNameIsRefusedByName() throws IOException {
		Path oracle = write("oracle.toml", """
				[connections.db]
				database = "mlpages"
				dialect = "oracle"
				""");
		Path missing = write("missing.toml", """
				[mlpages]
				connection = "elsewhere"
				[connections.db]
				dialect = "mysql"
				database = "mlpages"
				""");

		assertThat(catchSecretsFailure(() -> start(Map.of(), oracle)).getMessage())
			.startsWith("Settings file " + oracle + ", line 3, key 'connections.db.dialect': not a database");
		assertThat(catchSecretsFailure(() -> start(Map.of(), missing)).getMessage())
			.isEqualTo("Settings file " + missing
					+ ", line 2, key 'mlpages.connection': names no [connections.<name>] table; the tables are: db");
	}

	@Test
	void anotherDatabaseIsRefusedShowingOnlyTheUrlsScheme() {
		Throwable failure = catchThrowable(
				() -> start(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db/mlpages?password=" + SECRET)));

		assertThat(rootSecretsFailure(failure).getMessage())
			.startsWith(
					"Environment variable SPRING_DATASOURCE_URL, key 'spring.datasource.url': mlpages runs on SQLite")
			.contains("not on jdbc:postgresql:")
			.doesNotContain(SECRET);
	}

	private ConfigurableEnvironment start(Map<String, Object> environmentVariables, Path... imports) {
		SpringApplication application = new SpringApplication(NoBeans.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setEnvironment(new StandardEnvironment() {
			@Override
			protected void customizePropertySources(MutablePropertySources propertySources) {
				propertySources.addLast(new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new HashMap<>(environmentVariables)));
			}
		});
		List<String> args = imports.length == 0 ? List.of() : List.of("--spring.config.import="
				+ String.join(",", java.util.Arrays.stream(imports).map(file -> "file:" + file).toList()));
		try (ConfigurableApplicationContext context = application.run(args.toArray(String[]::new))) {
			return context.getEnvironment();
		}
	}

	private Path write(String name, String content) throws IOException {
		Path file = dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
		return file;
	}

	private static SecretsFileException catchSecretsFailure(Runnable start) {
		Throwable failure = catchThrowable(start::run);
		assertThat(failure).as("start-up must fail").isNotNull();
		return rootSecretsFailure(failure);
	}

	private static SecretsFileException rootSecretsFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SecretsFileException secrets) {
				return secrets;
			}
		}
		throw new AssertionError("no SecretsFileException in the failure", failure);
	}

}
