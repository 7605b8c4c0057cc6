package org.mlpages.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mlpages.jar.PackagedApp;
import org.mlpages.web.BadInputWebTests;
import org.mlpages.web.CreditWebTests;
import org.mlpages.web.HostileClient;
import org.mlpages.web.HostileClient.Answer;
import org.mlpages.web.HostileInputWebTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/hostile-input.md's whole table (the cases of {@link HostileInputWebTests},
 * {@link BadInputWebTests} and {@link CreditWebTests}) sent again and again to the
 * packaged jar, started as the systemd unit starts it: each case keeps its answer, and
 * what the app holds after the last pass is what it held after the first half of the
 * passes (which compile the refusals' code, start the threads the requests need and grow
 * the heap to its working size). A 50 MB body, 5 MB of EXIF and a 10 MB JSON body in each
 * pass: a refusal that kept a buffer, a thread or a file would show here.
 * <p>
 * {@code -Dmlpages.hostile.passes=N} (6 by default; 16 passes measured in
 * docs/reliability.md).
 */
class HostileInputMemoryIT {

	static final int PASSES = Math.max(2, Integer.getInteger("mlpages.hostile.passes", 6));

	static final String PHOTO_MODEL = "cat_dog_model";

	@Test
	void theWholeTableAgainAndAgainLeavesTheAppsMemoryAsItWas() throws Exception {
		Path dir = PackagedApp.workDir();
		try (PackagedApp app = UnderLoadIT.startAsTheUnitDoes(dir, PackagedApp.freePort(), "pw-" + UUID.randomUUID(),
				UnderLoadIT.shippedSqliteUrl(dir))) {
			HostileClient client = new HostileClient(app.base(), PHOTO_MODEL);
			List<Footprint> after = new ArrayList<>();
			System.out.println("HostileInputMemoryIT after the start: " + Footprint.of(app));
			for (int pass = 1; pass <= PASSES; pass++) {
				int cases = sendTheTable(client);
				Footprint footprint = Footprint.of(app);
				after.add(footprint);
				System.out.printf("HostileInputMemoryIT pass %d of %d cases: %s%n", pass, cases, footprint);
			}

			Footprint warm = after.get(after.size() / 2 - 1);
			Footprint last = after.get(after.size() - 1);
			assertThat(last.rssMegabytes()).as("RSS after the last pass against after the warm-up")
				.isLessThanOrEqualTo(warm.rssMegabytes() + warm.rssMegabytes() / 20);
			assertThat(last.liveHeapMegabytes()).as("the heap's live objects after the last pass against the warm-up")
				.isLessThanOrEqualTo(warm.liveHeapMegabytes() + 8);
			assertThat(last.threads()).as("threads after the last pass against the warm-up")
				.isLessThanOrEqualTo(warm.threads());
			assertThat(app.log()).doesNotContain("OutOfMemoryError");
		}
	}

	/** Every case of the table once; each must get the answer the web tests expect. */
	private static int sendTheTable(HostileClient client) {
		int sent = 0;
		for (HostileInputWebTests.Case hostile : HostileInputWebTests.cases().toList()) {
			Answer answer = hostile.send().apply(client);
			assertThat(answer.status()).as(hostile.what()).isEqualTo(hostile.status());
			assertThat(answer.body()).as(hostile.what()).contains(hostile.says());
			sent++;
		}
		for (Object[] upload : BadInputWebTests.badUploads().map(arguments -> arguments.get()).toList()) {
			Answer answer = client.photo((String) upload[1], (byte[]) upload[2]);
			assertThat(answer.status()).as((String) upload[0]).isEqualTo(upload[3]);
			sent++;
		}
		for (Object[] application : CreditWebTests.badApplications().map(arguments -> arguments.get()).toList()) {
			Answer answer = client.json((String) application[1]);
			assertThat(answer.status()).as((String) application[0]).isEqualTo(400);
			sent++;
		}
		return sent;
	}

}
