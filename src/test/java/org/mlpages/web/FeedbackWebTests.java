package org.mlpages.web;

import java.net.http.HttpResponse;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "This is wrong" under an answer: kept with the prediction, shown back, and in the
 * history.
 */
class FeedbackWebTests extends WebTestSupport {

	@Test
	void aPersonCorrectsAnAnswerAndTheAdminSeesIt() {
		HttpResponse<String> result = upload("/image/" + TestModels.REFERENCE, "image", "cat.jpg",
				photo("nasser0111_cat.jpg"), "en");
		String path = result.uri().getPath();
		long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
		assertThat(html(result).select("#feedback-label option").eachAttr("value")).containsExactly("Dog");

		HttpResponse<String> corrected = postForm("/predictions/" + id + "/feedback", "label=Dog", "en");

		Document page = html(corrected);
		assertThat(page.selectFirst("#feedback-thanks")).isNotNull();
		assertThat(page.selectFirst("#feedback-recorded").text()).isEqualTo("Corrected to: Dog.");
		assertThat(jdbc.queryForObject("select feedback_label from prediction where id = ?", String.class, id))
			.isEqualTo("Dog");
		logInAsAdmin();
		assertThat(html(get("/history?model=" + TestModels.REFERENCE, "en")).select("#history td.feedback").eachText())
			.contains("Dog");
	}

	@Test
	void aCorrectionThatIsNotAnAnswerOrForSomebodyElsesPredictionIsRefused() {
		HttpResponse<String> result = upload("/image/" + TestModels.REFERENCE, "image", "cat.jpg",
				photo("nasser0111_cat.jpg"), "en");
		String path = result.uri().getPath();
		long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));

		assertThat(postForm("/predictions/" + id + "/feedback", "label=Giraffe", "en").statusCode()).isEqualTo(400);
		assertThat(postForm("/predictions/1/feedback", "label=Dog", "en").statusCode()).isEqualTo(404);
		assertThat(jdbc.queryForObject("select feedback_label from prediction where id = ?", String.class, id))
			.isNull();
	}

}
