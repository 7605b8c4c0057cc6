package org.mlpages.image.photo;

/** How a photo is fitted to the model's input size. */
public enum ResizeMode {

	/**
	 * Cut the largest centred region with the target's aspect ratio, then resize it: no
	 * distortion, edges lost.
	 */
	CENTER_CROP,
	/** Resize the whole photo to the target size: nothing lost, shapes distorted. */
	STRETCH

}
