package org.mlpages.system;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Loading TensorFlow brings about 200 MB of its machine code into the process's resident
 * memory (its start-up registers every op and kernel, spread over the whole 600 MB
 * library), where it stays; serving the shipped models then runs on a tenth of it.
 * Measured with the pages' referenced bits over a mixed load (docs/benchmarks.md, "Memory
 * (issue 16)"): of 199 MB resident, 8 MB were touched; released, it held 21 MB again
 * after three runs of that load. So, every few seconds, when TensorFlow's code holds more
 * than {@link #THRESHOLD_BYTES} of resident memory, its pages are released
 * ({@link CleanFileMappings}): they leave the RSS but stay in the page cache, and those a
 * prediction needs come back at its next call as minor faults (a few milliseconds for all
 * of them). After a training run, which touches more of the library, the same happens
 * again. {@code mlpages.memory.release-tensorflow-code=false} turns it off (read when the
 * bean is made, not as a condition on it: the prepared start's AOT mode settles
 * conditions when the jar is built).
 */
@Component
class TensorFlowCodeRelease {

	private static final Logger log = LoggerFactory.getLogger(TensorFlowCodeRelease.class);

	// above what serving uses (21 MB measured), far below what loading leaves (199 MB)
	static final long THRESHOLD_BYTES = 32L << 20;

	private final boolean supported;

	TensorFlowCodeRelease(@Value("${mlpages.memory.release-tensorflow-code:true}") boolean enabled) {
		this.supported = enabled && CleanFileMappings.supported();
	}

	private boolean failed;

	// reading smaps costs about 10 ms of system time: 0.1 % of a core at this period
	@Scheduled(initialDelayString = "PT5S", fixedDelayString = "PT10S")
	void releaseIfLarge() {
		if (!supported || failed) {
			return;
		}
		try {
			List<CleanFileMappings.Mapping> code = CleanFileMappings.ofThisProcess(TensorFlowCodeRelease::isTensorFlow);
			long resident = code.stream().mapToLong(CleanFileMappings.Mapping::residentBytes).sum();
			if (resident <= THRESHOLD_BYTES) {
				return;
			}
			int refused = 0;
			for (CleanFileMappings.Mapping mapping : code) {
				if (mapping.residentBytes() > 0 && !CleanFileMappings.release(mapping)) {
					refused++;
				}
			}
			log.debug("released {} MB of TensorFlow's code pages ({} mappings refused)", resident >> 20, refused);
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			// memory is then as without this: said once, not every 10 s
			failed = true;
			log.warn("cannot release TensorFlow's unused code pages; memory use stays higher: {}", ex.toString());
		}
	}

	static boolean isTensorFlow(String path) {
		String name = path.substring(path.lastIndexOf('/') + 1);
		return name.startsWith("libtensorflow") || name.startsWith("libjnitensorflow");
	}

}
