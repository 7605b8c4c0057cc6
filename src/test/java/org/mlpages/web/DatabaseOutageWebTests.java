package org.mlpages.web;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prediction log cannot be written (here its table is moved away, as a broken or
 * stopped database would leave it): the person gets a clear 503 and the app recovers by
 * itself once the database is back. Runs on a database file of its own so the other tests
 * never see the outage.
 */
@TestPropertySource(
		properties = "spring.datasource.url=jdbc:sqlite:target/test-data/outage.db?journal_mode=WAL&busy_timeout=5000")
class DatabaseOutageWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@AfterEach
	void bringTheDatabaseBack() {
		if (tableExists("prediction_away")) {
			jdbc.execute("alter table prediction_away rename to prediction");
		}
	}

	@Test
	void aPredictionThatCannotBeLoggedIsRefusedWithA503AndNoAnswer() {
		jdbc.execute("alter table prediction rename to prediction_away");
		String name = "nasser0111_cat.jpg";

		HttpResponse<String> api = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", name,
				photo(name), "en");
		HttpResponse<String> page = upload("/image/" + TestModels.REFERENCE, "image", name, photo(name), "en");

		assertThat(api.statusCode()).isEqualTo(503);
		assertThat(JSON.readTree(api.body()).get("detail").asString()).contains("nothing was saved");
		assertThat(page.statusCode()).isEqualTo(503);
		assertThat(html(page).selectFirst("#error").text()).contains("nothing was saved");
		assertThat(page.body()).doesNotContain("Exception", "SQL");

		bringTheDatabaseBack();
		HttpResponse<String> after = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", name,
				photo(name), "en");
		assertThat(after.statusCode()).isEqualTo(200);
	}

	private boolean tableExists(String table) {
		return jdbc.queryForObject("select count(*) from sqlite_master where type = 'table' and name = ?",
				Integer.class, table) > 0;
	}

}
