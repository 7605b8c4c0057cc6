package org.mlpages.web;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.mlpages.image.PhotosInMemory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When other photos hold all the heap the service gives photos in flight, one more is
 * told to come back in a few seconds, on the page and over the API, and leaves nothing
 * behind; once there is room again the same photo is answered.
 */
class PhotosInMemoryWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CAT = "nasser0111_cat.jpg";

	@Autowired
	PhotosInMemory inMemory;

	@Test
	void aPhotoWithNoRoomLeftGetsA503SayingToTryAgainAndLeavesNoRowAndNoFile() throws Exception {
		long rows = predictionRows();
		long files = storedUploads();
		HttpResponse<String> api;
		HttpResponse<String> page;
		HttpResponse<String> pageInFrench;
		// what the photos before it hold: the whole budget
		try (PhotosInMemory.Room others = inMemory.reserve(Long.MAX_VALUE / 4, 0)) {
			assertThat(inMemory.available()).isZero();
			api = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", CAT, photo(CAT), "en");
			page = upload("/image/" + TestModels.REFERENCE, "image", CAT, photo(CAT), "en");
			pageInFrench = upload("/image/" + TestModels.REFERENCE, "image", CAT, photo(CAT), "fr");
		}

		assertThat(api.statusCode()).isEqualTo(503);
		assertThat(api.headers().firstValue("Retry-After")).contains("5");
		JsonNode problem = JSON.readTree(api.body());
		assertThat(problem.get("code").asString()).isEqualTo("busy");
		assertThat(problem.get("detail").asString()).contains("busy with other photos", "try again");

		assertThat(page.statusCode()).isEqualTo(503);
		assertThat(page.headers().firstValue("Retry-After")).contains("5");
		assertThat(html(page).selectFirst("#error").text()).contains("busy with other photos");
		assertThat(html(pageInFrench).selectFirst("#error").text())
			.contains("Le serveur est occupé par d’autres photos ; réessayez dans quelques secondes.");
		assertThat(html(page).select("stack, pre")).isEmpty();

		assertThat(predictionRows()).isEqualTo(rows);
		assertThat(storedUploads()).isEqualTo(files);

		HttpResponse<String> again = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", CAT,
				photo(CAT), "en");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(predictionRows()).isEqualTo(rows + 1);
		assertThat(inMemory.waiting()).isZero();
	}

}
