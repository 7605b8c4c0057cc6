package org.mlpages.history;

/**
 * Told of every prediction once its row is committed, on the request's thread: what
 * watches the app (metrics, the operator's log line) without the features knowing of it.
 * Must be quick and must not throw.
 */
public interface PredictionListener {

	/**
	 * @param latencyMs from the request reaching the model's service to the row
	 * committed: the row's own latency plus the wait for its commit
	 */
	void logged(Prediction prediction, double latencyMs);

}
