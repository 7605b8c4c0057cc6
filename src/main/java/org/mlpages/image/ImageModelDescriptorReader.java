package org.mlpages.image;

import java.nio.file.Path;

import org.mlpages.image.ImageModelDescriptor.InvalidDescriptorException;
import org.mlpages.system.DescriptorYaml;

/** Reads an image model's descriptor ({@link DescriptorYaml}) and checks it. */
final class ImageModelDescriptorReader {

	private ImageModelDescriptorReader() {
	}

	static ImageModelDescriptor read(Path file) {
		ImageModelDescriptor descriptor = DescriptorYaml.read(file, ImageModelDescriptor.class,
				InvalidDescriptorException::new);
		descriptor.validate();
		return descriptor;
	}

}
