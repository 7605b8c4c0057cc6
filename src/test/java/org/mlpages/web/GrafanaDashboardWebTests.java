package org.mlpages.web;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpages.monitoring.PrometheusText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard asks only for what the app exposes: every metric and
 * label its queries name is in a real scrape of the app, and every mlpages meter has a
 * panel. A meter renamed in the code fails here instead of leaving an empty graph.
 */
class GrafanaDashboardWebTests extends WebTestSupport {

	private static final Path DASHBOARD = Path.of("deploy/grafana/mlpages-dashboard.json");

	private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

	private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![$\\w:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan");

	/** Labels Prometheus adds to every sample it scrapes. */
	private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private PrometheusText scrape;

	@BeforeEach
	void somethingHappened() {
		// counters appear at their first count: one prediction and one refusal
		send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(CreditWebTests.applicant()))));
		send(HttpRequest.newBuilder(uri("/api/v1/models/credit/predictions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
		scrape = PrometheusText
			.parse(send(HttpRequest.newBuilder(uri("/actuator/prometheus")), HttpClient.newHttpClient()).body());
	}

	@Test
	void everyQueryAsksForMetricsAndLabelsTheAppExposes() throws IOException {
		List<Query> queries = queries();
		assertThat(queries).hasSizeGreaterThan(10);

		for (Query query : queries) {
			Set<String> names = metricNames(query.expr());
			assertThat(names).as("metrics of '%s'", query.expr()).isNotEmpty();
			Set<String> labels = new TreeSet<>(TARGET_LABELS);
			for (String name : names) {
				assertThat(scrape.names()).as("'%s' in panel '%s'", name, query.panel()).contains(name);
				labels.addAll(scrape.labelNames(name));
			}
			Matcher selector = SELECTOR.matcher(query.expr());
			while (selector.find()) {
				Matcher label = MATCHER_LABEL.matcher(selector.group(2));
				while (label.find()) {
					assertThat(scrape.labelNames(selector.group(1)))
						.as("label of %s in panel '%s'", selector.group(1), query.panel())
						.contains(label.group(1));
				}
			}
			Matcher grouping = GROUPING.matcher(query.expr());
			while (grouping.find()) {
				for (String label : grouping.group(2).split(",")) {
					assertThat(labels).as("grouping label in panel '%s'", query.panel()).contains(label.strip());
				}
			}
			Matcher legend = LEGEND_LABEL.matcher(query.legend());
			while (legend.find()) {
				assertThat(labels).as("legend of panel '%s'", query.panel()).contains(legend.group(1));
			}
		}
	}

	@Test
	void everyMeterOfTheAppHasAPanel() throws IOException {
		Set<String> shown = new TreeSet<>();
		queries().forEach(query -> metricNames(query.expr()).forEach(name -> shown.add(family(name))));
		Set<String> exposed = new TreeSet<>();
		scrape.names().stream().filter(name -> name.startsWith("mlpages_")).forEach(name -> exposed.add(family(name)));

		assertThat(exposed).contains("mlpages_predictions", "mlpages_refusals", "mlpages_inference_seconds",
				"mlpages_prediction_latency_seconds", "mlpages_model_state", "mlpages_inference_active",
				"mlpages_inference_queued");
		assertThat(shown).containsAll(exposed);
	}

	@Test
	void theModelChoiceListsTheModelsTheAppServes() throws IOException {
		JsonNode variable = dashboard().get("templating").get("list").get(0);
		Matcher query = Pattern.compile("label_values\\((\\w+), (\\w+)\\)")
			.matcher(variable.get("query").get("query").asString());

		assertThat(query.matches()).isTrue();
		assertThat(scrape.labelNames(query.group(1))).contains(query.group(2));
		assertThat(scrape.has(query.group(1), query.group(2), "credit")).isTrue();
	}

	@Test
	void theQueryReaderFindsEveryMetricAndNothingElse() {
		assertThat(metricNames("histogram_quantile(0.95, sum by (le, model) "
				+ "(rate(a_seconds_bucket{model=~\"$model\", le!=\"x{y}\"}[$__rate_interval])))"))
			.containsExactly("a_seconds_bucket");
		assertThat(metricNames("sum(rate(x_total[5m])) / (sum(rate(y_total[1e3s] offset 1h)) + z) * 1e3"))
			.containsExactly("x_total", "y_total", "z");
		assertThat(metricNames("m == 1 and on (model) n")).containsExactly("m", "n");
	}

	private static JsonNode dashboard() throws IOException {
		return JSON.readTree(Files.readString(DASHBOARD));
	}

	private static List<Query> queries() throws IOException {
		List<Query> queries = new ArrayList<>();
		collect(dashboard().get("panels"), queries);
		return queries;
	}

	private static void collect(JsonNode panels, List<Query> queries) {
		for (JsonNode panel : panels) {
			if (panel.has("panels")) {
				collect(panel.get("panels"), queries);
			}
			if (panel.has("targets")) {
				for (JsonNode target : panel.get("targets")) {
					queries.add(new Query(panel.get("title").asString(), target.get("expr").asString(),
							target.has("legendFormat") ? target.get("legendFormat").asString() : ""));
				}
			}
		}
	}

	/**
	 * The metric names of a PromQL expression: what remains once labels, ranges,
	 * groupings and functions are gone.
	 */
	static Set<String> metricNames(String expr) {
		String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ");
		bare = GROUPING.matcher(bare).replaceAll(" ");
		Set<String> names = new TreeSet<>();
		Matcher identifier = IDENTIFIER.matcher(bare);
		while (identifier.find()) {
			if (!KEYWORDS.contains(identifier.group(1).toLowerCase(java.util.Locale.ROOT))) {
				names.add(identifier.group(1));
			}
		}
		return names;
	}

	private static String family(String name) {
		return name.replaceAll("_(bucket|count|sum|max|total)$", "");
	}

	record Query(String panel, String expr, String legend) {
	}

}
