package org.mlpages.history;

/** A prediction once its row is committed: what was logged and under which id. */
public record LoggedPrediction(long id, PredictionRecord record) {
}
