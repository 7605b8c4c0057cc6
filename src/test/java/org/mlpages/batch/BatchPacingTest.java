package org.mlpages.batch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPacingTest {

	private final BatchPacing pacing = new BatchPacing();

	@Test
	void aBatchGoesAtFullSpeedWhileNobodyIsAnswered() {
		assertThat(pacing.slice()).isEqualTo(BatchPacing.FULL_SLICE);
		assertThat(pacing.pauseMillis()).isZero();
	}

	@Test
	void aBatchGoesInShortStepsWithPausesWhilePeopleAreAnswered() {
		pacing.logged(null, 1.0);

		assertThat(pacing.slice()).isEqualTo(BatchPacing.SHORT_SLICE);
		assertThat(pacing.pauseMillis()).isEqualTo(BatchPacing.PAUSE_MS);
	}

	@Test
	void fullSpeedAgainOnceNobodyHasBeenAnsweredForAWhile() throws InterruptedException {
		pacing.logged(null, 1.0);
		Thread.sleep(BatchPacing.BUSY_WINDOW_MS + 50);

		assertThat(pacing.slice()).isEqualTo(BatchPacing.FULL_SLICE);
	}

}
