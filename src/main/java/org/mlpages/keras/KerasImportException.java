package org.mlpages.keras;

import java.util.List;

/**
 * A Keras file that cannot be turned into a model: not HDF5, no model config,
 * inconsistent weights, a layer option outside what the converters implement. Unchecked
 * so that converters stay plain lambdas; callers that load models at start-up catch it
 * per file and carry on.
 * <p>
 * The message is English, for logs and the command line. The refusals a person uploading
 * a file meets most also carry a {@link Reason} and its arguments, so that a page can say
 * them in its reader's language; the rest are {@link Reason#OTHER}.
 */
public class KerasImportException extends RuntimeException {

	/** The common refusals; their arguments begin with the file's name. */
	public enum Reason {

		/** A Python pickle, never opened. Arguments: the file. */
		PICKLE,
		/** JSON (an architecture alone). Arguments: the file. */
		JSON_NOT_A_MODEL,
		/** Arguments: the file. */
		EMPTY,
		/** Neither HDF5 nor ZIP nor a weights index. Arguments: the file. */
		NOT_A_MODEL,
		/** A ZIP without config.json. Arguments: the file. */
		ZIP_NOT_KERAS,
		/** A ZIP holding a TensorFlow SavedModel. Arguments: the file. */
		SAVED_MODEL,
		/** A .keras archive whose weights are in .npz. Arguments: the file. */
		NPZ_WEIGHTS,
		/** Weights without the architecture. Arguments: the file. */
		WEIGHTS_ONLY,
		/** A damaged or cut-short file. Arguments: the file. */
		UNREADABLE,
		/**
		 * A part of an archive over its size limit. Arguments: the part, the limit in MB.
		 */
		TOO_LARGE,
		/** A layer class no converter implements. Arguments: the layer, its class. */
		UNSUPPORTED_LAYER,
		/**
		 * A layer option no converter implements. Arguments: the layer, its class, the
		 * option (in Keras's own terms).
		 */
		UNSUPPORTED_OPTION,
		/** Anything else: the message alone says it. No arguments. */
		OTHER

	}

	private final Reason reason;

	private final List<String> arguments;

	public KerasImportException(String message) {
		this(Reason.OTHER, message, null);
	}

	public KerasImportException(String message, Throwable cause) {
		this(Reason.OTHER, message, cause);
	}

	public KerasImportException(Reason reason, String message, Throwable cause, String... arguments) {
		super(message, cause);
		this.reason = reason;
		this.arguments = List.of(arguments);
	}

	public Reason reason() {
		return reason;
	}

	public List<String> arguments() {
		return arguments;
	}

}
