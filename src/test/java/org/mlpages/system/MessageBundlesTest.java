package org.mlpages.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key missing from one language shows a reader the other language, or a raw key: catch
 * it here.
 */
class MessageBundlesTest {

	@Test
	void frenchAndEnglishHaveTheSameKeys() throws IOException {
		Set<String> english = load("messages/messages.properties").stringPropertyNames();
		Set<String> french = load("messages/messages_fr.properties").stringPropertyNames();

		assertThat(new TreeSet<>(french)).isEqualTo(new TreeSet<>(english));
	}

	@Test
	void noMessageIsLeftEmpty() throws IOException {
		for (String bundle : new String[] { "messages/messages.properties", "messages/messages_fr.properties" }) {
			Properties messages = load(bundle);
			assertThat(messages.stringPropertyNames())
				.allSatisfy(key -> assertThat(messages.getProperty(key)).as(bundle + " " + key).isNotBlank());
		}
	}

	@Test
	void frenchUsesTypographicApostrophesSoMessageFormatKeepsThem() throws IOException {
		// MessageFormat treats ' as a quote in messages with arguments and would swallow
		// it
		Properties french = load("messages/messages_fr.properties");
		assertThat(french.stringPropertyNames())
			.allSatisfy(key -> assertThat(french.getProperty(key)).as(key).doesNotContain("'"));
	}

	private static Properties load(String resource) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
