package org.mlpages.catalog;

/**
 * Published when a model is added while the app runs (a model trained in the browser and
 * published), whether it loaded or not, so that what watches every model (the metrics)
 * watches it too.
 */
public record ModelAdded(String name) {
}
