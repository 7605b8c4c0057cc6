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

	/**
	 * A download whose first query fails (the history's CSV, a batch's results) is
	 * answered as any other page: 503 and the sentence, not the half-set-up CSV response.
	 */
	@Test
	void aCsvDownloadWithTheDatabaseAwayGetsThe503Page() throws InterruptedException {
		String applicant = "checking_status,duration,credit_history,purpose,credit_amount,savings_status,employment,"
				+ "installment_commitment,personal_status,other_parties,residence_since,property_magnitude,age,"
				+ "other_payment_plans,housing,existing_credits,job,num_dependents,own_telephone,foreign_worker\n"
				+ "<0,6,critical/other existing credit,radio/tv,1169,no known savings,>=7,4,male single,none,4,"
				+ "real estate,67,none,own,2,skilled,1,yes,yes\n";
		HttpResponse<String> accepted = send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/models/credit/batches"))
			.header("Content-Type", "text/csv")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(applicant)));
		String batch = accepted.headers().firstValue("Location").orElseThrow();
		for (int i = 0; i < 100 && !get(batch, "en").body().contains("\"state\":\"done\""); i++) {
			Thread.sleep(50);
		}
		logInAsAdmin();
		jdbc.execute("alter table prediction rename to prediction_away");

		HttpResponse<String> history = get("/history/export.csv", "en");
		HttpResponse<String> results = get(batch + "/results.csv", "en");

		assertThat(history.statusCode()).isEqualTo(503);
		assertThat(history.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
		assertThat(html(history).selectFirst("#error").text()).contains("cannot be reached right now");
		assertThat(results.statusCode()).isEqualTo(503);
		assertThat(JSON.readTree(results.body()).get("code").asString()).isEqualTo("database");
	}

	private boolean tableExists(String table) {
		return jdbc.queryForObject("select count(*) from sqlite_master where type = 'table' and name = ?",
				Integer.class, table) > 0;
	}

}
