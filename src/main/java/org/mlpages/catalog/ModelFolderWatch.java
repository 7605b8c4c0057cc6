package org.mlpages.catalog;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Keeps the models served in step with the models folder, every
 * {@code mlpages.models-refresh} (5 s; 0 turns it off): a model whose files appeared is
 * loaded, one whose files changed is loaded again and then replaces the old, one whose
 * files left is no longer served. This is how instances sharing the folder serve what
 * another published, replaced or retired, without a restart; on one machine, a model an
 * operator copies into the folder is served the same way.
 * <p>
 * A change is acted on only once the folder showed it at two looks in a row, so that
 * files still being copied, or a replacement between its two steps, are not loaded
 * half-way; a model this instance has just published itself is already loaded from those
 * files and is left alone.
 */
@Component
class ModelFolderWatch implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(ModelFolderWatch.class);

	private final List<FolderModels> kinds;

	private final Duration refresh;

	// per kind, what the folder showed at the previous look
	private final Map<FolderModels, Map<String, String>> previous = new HashMap<>();

	ModelFolderWatch(List<FolderModels> kinds, @Value("${mlpages.models-refresh:5s}") Duration refresh) {
		this.kinds = kinds;
		this.refresh = refresh;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		if (!refresh.isZero() && !refresh.isNegative()) {
			registrar.addFixedDelayTask(this::look, refresh);
		}
	}

	/** One look at the folder; what changed since the look before is acted on. */
	synchronized void look() {
		for (FolderModels kind : kinds) {
			try {
				look(kind);
			}
			catch (RuntimeException ex) {
				log.warn("Models folder: could not bring the served models in step with it: {}", ex.toString());
			}
		}
	}

	private void look(FolderModels kind) {
		Map<String, String> now = kind.inFolder();
		Map<String, String> before = previous.put(kind, now);
		if (before == null) {
			return;
		}
		Map<String, String> loaded = kind.loaded();
		Set<String> names = new HashSet<>(now.keySet());
		names.addAll(loaded.keySet());
		for (String name : names) {
			String files = now.get(name);
			if (!Objects.equals(files, before.get(name)) || Objects.equals(files, loaded.get(name))
					|| kind.isLoading(name)) {
				// still changing, or already what is served
				continue;
			}
			if (files == null) {
				log.info("Models folder: {} left the folder; no longer served here", name);
				kind.forget(name);
			}
			else {
				log.info("Models folder: {} {}; loading it", name, loaded.containsKey(name) ? "changed" : "appeared");
				kind.reload(name);
			}
		}
	}

}
