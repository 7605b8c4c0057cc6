package org.mlpages.image.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A model published from the training page, or dropped in by an operator, lands in
 * {@code models/}; git must not offer to commit it, while the models the project ships
 * stay tracked. Asked of git itself, about this checkout's {@code .gitignore}.
 */
class PublishedModelsStayOutOfGitTest {

	@ParameterizedTest
	@CsvSource({ "models/pets.h5, true", "models/pets.yml, true", "models/pets.report.md, true",
			"models/cats_vs_dogs.h5, false", "models/cat_dog_model.yml, false", "models/credit.model, false",
			"models/NOTICE.md, false" })
	void gitIgnoresWhatIsPublishedAndKeepsWhatShips(String file, boolean ignored)
			throws IOException, InterruptedException {
		assumeTrue(Files.exists(Path.of(".git")), "not a git checkout");
		Process git = new ProcessBuilder("git", "check-ignore", "--no-index", "-q", file).inheritIO().start();
		assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(git.exitValue()).as("git check-ignore %s", file).isEqualTo(ignored ? 0 : 1);
	}

}
