package org.mlpages.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code /actuator/prometheus} as Prometheus reads it: samples with their
 * labels, summed over the labels a question leaves out.
 */
public final class PrometheusText {

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final List<Sample> samples;

	private PrometheusText(List<Sample> samples) {
		this.samples = samples;
	}

	public static PrometheusText parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.lastIndexOf(' ');
			Map<String, String> labels = new LinkedHashMap<>();
			String name;
			if (brace >= 0 && brace < space) {
				name = line.substring(0, brace);
				Matcher label = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			else {
				name = line.substring(0, line.indexOf(' '));
			}
			samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
		}
		return new PrometheusText(samples);
	}

	/**
	 * The sum of the samples of that name whose labels include these (name, value, name,
	 * value ...); 0 when there is none, as for a counter not yet counted.
	 */
	public double value(String name, String... labels) {
		return samples.stream().filter(sample -> sample.is(name, labels)).mapToDouble(Sample::value).sum();
	}

	/** Whether a sample of that name with these labels exists. */
	public boolean has(String name, String... labels) {
		return samples.stream().anyMatch(sample -> sample.is(name, labels));
	}

	/** Every sample name: {@code mlpages_inference_seconds_bucket} and the like. */
	public Set<String> names() {
		Set<String> names = new TreeSet<>();
		samples.forEach(sample -> names.add(sample.name()));
		return names;
	}

	/** The label names the samples of that name carry. */
	public Set<String> labelNames(String name) {
		Set<String> names = new TreeSet<>();
		samples.stream()
			.filter(sample -> sample.name().equals(name))
			.forEach(sample -> names.addAll(sample.labels().keySet()));
		return names;
	}

	record Sample(String name, Map<String, String> labels, double value) {

		boolean is(String wanted, String... pairs) {
			if (!name.equals(wanted)) {
				return false;
			}
			for (int i = 0; i < pairs.length; i += 2) {
				if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
					return false;
				}
			}
			return true;
		}

	}

}
