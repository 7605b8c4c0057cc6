package org.mlpages.keras;

/** The model uses a layer class (or a layer option) that no converter implements. */
public class UnsupportedLayerException extends KerasImportException {

	private final String layerName;

	private final String layerClass;

	public UnsupportedLayerException(String layerName, String layerClass) {
		this(layerName, layerClass, null);
	}

	/**
	 * @param detail what exactly is unsupported, or null when it is the layer class
	 * itself
	 */
	public UnsupportedLayerException(String layerName, String layerClass, String detail) {
		super(detail == null ? Reason.UNSUPPORTED_LAYER : Reason.UNSUPPORTED_OPTION,
				detail == null ? "Unsupported Keras layer '" + layerName + "' of class " + layerClass
						: "Unsupported Keras layer '" + layerName + "' of class " + layerClass + ": " + detail,
				null, detail == null ? new String[] { layerName, layerClass }
						: new String[] { layerName, layerClass, detail });
		this.layerName = layerName;
		this.layerClass = layerClass;
	}

	public String layerName() {
		return layerName;
	}

	public String layerClass() {
		return layerClass;
	}

}
