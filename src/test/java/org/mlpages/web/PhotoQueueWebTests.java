package org.mlpages.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mlpages.image.PhotoQueue;
import org.mlpages.system.MlPagesProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More photos than the workers can take and the queue can hold: one more is told at once
 * to come back in a few seconds, on the page in both languages and over the API, and
 * leaves nothing behind, while every other page, the credit API and health answer as
 * usual; once the queue moves the same photo is answered.
 */
class PhotoQueueWebTests extends WebTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CAT = "nasser0111_cat.jpg";

	@Autowired
	PhotoQueue queue;

	@Autowired
	MlPagesProperties properties;

	@Test
	void aPhotoFindingTheQueueFullGetsA503AndTheRestOfTheSiteAnswers() throws Exception {
		long rows = predictionRows();
		long files = storedUploads();
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<Object>> others = new ArrayList<>();
		HttpResponse<String> api;
		HttpResponse<String> page;
		HttpResponse<String> pageInFrench;
		try {
			MlPagesProperties.Queue settings = properties.image().queue();
			// photos before it: every worker busy (each taken up before the next is
			// sent, so none waits while a worker is idle), every place in the queue taken
			Semaphore started = new Semaphore(0);
			for (int i = 0; i < settings.workers() + settings.capacity(); i++) {
				others.add(queue.submit(() -> {
					started.release();
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return null;
				}));
				if (i < settings.workers()) {
					assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
				}
			}
			assertThat(queue.waiting()).isEqualTo(settings.capacity());

			api = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", CAT, photo(CAT), "en");
			page = upload("/image/" + TestModels.REFERENCE, "image", CAT, photo(CAT), "en");
			pageInFrench = upload("/image/" + TestModels.REFERENCE, "image", CAT, photo(CAT), "fr");

			assertThat(get("/about", "en").statusCode()).as("the About page").isEqualTo(200);
			assertThat(get("/actuator/health", "en").statusCode()).as("health").isEqualTo(200);
			assertThat(get("/credit", "fr").statusCode()).as("the credit page").isEqualTo(200);
		}
		finally {
			release.countDown();
		}
		CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();

		assertThat(api.statusCode()).isEqualTo(503);
		assertThat(api.headers().firstValue("Retry-After")).contains("5");
		assertThat(JSON.readTree(api.body()).get("detail").asString()).contains("busy with other photos");
		assertThat(page.statusCode()).isEqualTo(503);
		assertThat(page.headers().firstValue("Retry-After")).contains("5");
		assertThat(html(page).selectFirst("#error").text()).contains("busy with other photos", "try again");
		assertThat(html(page).select("#menu a")).as("the page keeps its layout").isNotEmpty();
		assertThat(html(pageInFrench).selectFirst("#error").text()).contains("occupé par d’autres photos");
		assertThat(page.body()).doesNotContain("Exception", "at org.");
		assertThat(predictionRows()).isEqualTo(rows);
		assertThat(storedUploads()).isEqualTo(files);

		HttpResponse<String> again = upload("/api/v1/models/" + TestModels.REFERENCE + "/predictions", "image", CAT,
				photo(CAT), "en");
		assertThat(again.statusCode()).isEqualTo(200);
	}

}
