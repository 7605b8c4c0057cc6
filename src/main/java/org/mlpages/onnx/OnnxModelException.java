package org.mlpages.onnx;

/**
 * A file that cannot be served as a tabular classifier: not ONNX, a pickle, a model ONNX
 * Runtime refuses, or one whose inputs or outputs are not those of a classifier. The
 * message is a sentence for the log, the About page and the command line.
 */
public class OnnxModelException extends RuntimeException {

	public OnnxModelException(String message) {
		super(message);
	}

	public OnnxModelException(String message, Throwable cause) {
		super(message, cause);
	}

}
