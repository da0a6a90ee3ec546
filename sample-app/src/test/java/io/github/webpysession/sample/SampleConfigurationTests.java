package io.github.webpysession.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's {@code application.yml} is its users' reference: it lists every
 * {@code session.*} property the starter has.
 */
class SampleConfigurationTests {

	@Test
	void applicationYmlListsEverySessionProperty() throws IOException {
		String yml = read("application.yml");
		List<String> missing = new ArrayList<>();
		for (String property : sessionProperties()) {
			String[] path = property.substring("session.".length()).split("\\.");
			String leaf = path[path.length - 1];
			if (!Pattern.compile("(?m)^\\s*#?\\s*" + Pattern.quote(leaf) + ":").matcher(yml).find()) {
				missing.add(property);
			}
		}
		assertThat(missing).isEmpty();
	}

	private static List<String> sessionProperties() throws IOException {
		List<String> properties = new ArrayList<>();
		Enumeration<URL> files = SampleConfigurationTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		for (URL file : Collections.list(files)) {
			try (InputStream in = file.openStream()) {
				Matcher names = Pattern.compile("\"name\"\\s*:\\s*\"(session\\.[^\"]+)\"")
					.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				while (names.find()) {
					properties.add(names.group(1));
				}
			}
		}
		assertThat(properties).contains("session.store", "session.timeout", "session.disk.directory");
		return properties;
	}

	private static String read(String resource) throws IOException {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
