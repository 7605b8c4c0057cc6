/**
 * "Add a model" for tabular models: an administrator uploads an ONNX file, reads the
 * inputs and classes it declares, names its fields and classes, tries a row, and
 * publishes it without a restart (the Keras side is {@code org.mlpages.image.admin}).
 */
package org.mlpages.tabular.admin;
