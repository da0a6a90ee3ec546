package io.github.webpysession.testsupport;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus scrape ({@code /actuator/prometheus}), each under a key
 * that does not depend on the order of its labels: {@code name{a="1",b="2"}}, the labels
 * sorted by name.
 */
public final class PrometheusScrape {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+).*$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private PrometheusScrape() {
	}

	/** The samples of {@code text} whose name passes {@code names}. */
	public static Map<String, Double> samples(String text, Predicate<String> names) {
		Map<String, Double> samples = new TreeMap<>();
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.matches() || !names.test(sample.group(1))) {
				continue;
			}
			Map<String, String> labels = new TreeMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.put(key(sample.group(1), labels), Double.parseDouble(sample.group(3)));
		}
		return samples;
	}

	/** The key of a sample: {@code labels} alternate names and values. */
	public static String key(String name, String... labels) {
		Map<String, String> sorted = new TreeMap<>();
		for (int i = 0; i < labels.length; i += 2) {
			sorted.put(labels[i], labels[i + 1]);
		}
		return key(name, sorted);
	}

	private static String key(String name, Map<String, String> labels) {
		if (labels.isEmpty()) {
			return name;
		}
		StringBuilder key = new StringBuilder(name).append('{');
		labels.forEach((label, value) -> key.append(label).append("=\"").append(value).append("\","));
		key.setLength(key.length() - 1);
		return key.append('}').toString();
	}

}
