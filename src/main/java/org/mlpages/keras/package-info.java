/**
 * Keras models ({@code .keras} archives and HDF5 {@code .h5} files) as TensorFlow
 * SavedModels for DJL's TensorFlow engine; no Spring in here.
 *
 * <h2>Use</h2> <pre>{@code
 * TensorFlowNatives.ensureLoaded(cacheRoot);          // once, before DJL or org.tensorflow is touched
 * ImportedModel m = new KerasModelImporter().importModel(h5, cacheRoot);
 * Criteria.builder().setTypes(NDList.class, NDList.class)
 *         .optEngine("TensorFlow").optModelPath(m.savedModelDir()).build();
 * }</pre> The SavedModel has one {@code serving_default} signature: float32 input
 * {@code "input"} of shape {@link org.mlpages.keras.ImportedModel#inputShape()} (NHWC for
 * images), output {@code "output"}. Conversions are cached under
 * {@code cacheRoot/savedmodels/<sha256 of the .h5>/}; a cached model is returned in
 * milliseconds, a conversion takes about a second once TensorFlow is loaded.
 *
 * <h2>Files</h2> Told apart by their first bytes ({@code KerasModelFile}): Keras 3
 * {@code .keras} archives; HDF5 models from standalone Keras 2.0-2.3, tf.keras
 * ({@code 2.x.y-tf} and later), tf_keras 2.16+ and Keras 3's legacy {@code .h5}; and
 * weights-only files from {@code save_weights()} (legacy {@code .h5}, Keras 3
 * {@code .weights.h5} and its sharded {@code .weights.json}) with the JSON of
 * {@code model.to_json()}
 * ({@link org.mlpages.keras.KerasModelImporter#importModel(java.nio.file.Path, java.nio.file.Path, java.nio.file.Path)}).
 * Legacy files name their weights; Keras 3 numbers them ({@code Keras3WeightsStore}), so
 * each converter also says the order of its layer's variables
 * ({@link org.mlpages.keras.LayerConverter#keras3Variables}).
 * {@link org.mlpages.keras.KerasModelInspector} describes a file without converting it,
 * and {@link org.mlpages.keras.cli.KerasCommands} holds the jar's
 * {@code inspect / describe / convert / verify} commands; {@link org.mlpages.keras.Npy}
 * and {@link org.mlpages.keras.SavedModelRunner} read NumPy arrays and run a converted
 * model without DJL, for {@code verify}, the trainer and the tests.
 *
 * <h2>Errors</h2> {@link org.mlpages.keras.UnsupportedLayerException} (a subclass of
 * {@link org.mlpages.keras.KerasImportException}) names the first layer without a
 * converter, and is thrown before anything is written; {@code KerasImportException} means
 * the file is not a Keras model this package understands; {@code IOException} means the
 * file or the cache could not be read or written.
 *
 * <h2>Adding a layer</h2> Implement {@link org.mlpages.keras.LayerConverter} (see
 * {@code org.mlpages.keras.layers}) and register it in
 * {@link org.mlpages.keras.LayerConverters#defaults()}. Nested Sequential and Functional
 * models are handled by the model builder, not by converters.
 *
 * <h2>Log noise</h2> jHDF logs every group and dataset it reads at INFO (several hundred
 * lines per conversion): set {@code io.jhdf} to WARN. DJL warns about CUDA where CUDA
 * libraries exist without a driver ({@code ai.djl.util.cuda.CudaUtils} to ERROR), and
 * TensorFlow's own INFO lines go with {@code TF_CPP_MIN_LOG_LEVEL=1} in the environment.
 */
package org.mlpages.keras;
