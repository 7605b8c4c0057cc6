package org.mlpages.catalog;

import java.util.Map;

/**
 * A kind of model served from the models folder (Keras image models, ONNX tabular
 * models), as {@link ModelFolderWatch} keeps it in step with the folder: the folder may
 * be shared by several instances, and a model published, replaced or retired by one must
 * be served, reloaded or dropped by the others.
 */
public interface FolderModels {

	/**
	 * The models of this kind whose files are in the folder now, each with the
	 * {@link ModelFiles#fingerprint fingerprint} of its files.
	 */
	Map<String, String> inFolder();

	/**
	 * The models this instance serves or tried to load (failed), each with the
	 * fingerprint of the files it loaded; not those still loading.
	 */
	Map<String, String> loaded();

	/** Whether that model is being loaded at start-up: the watch leaves it alone. */
	default boolean isLoading(String name) {
		return false;
	}

	/**
	 * Loads the model from its files now in the folder, replacing the one served under
	 * that name, if any, once the new one is ready; a model that fails to load is
	 * reported as at start-up.
	 */
	void reload(String name);

	/**
	 * Stops serving a model whose files left the folder (another instance retired it):
	 * nothing is moved or deleted.
	 */
	void forget(String name);

}
