package org.mlpages.tabular;

import java.nio.file.Path;

import org.mlpages.system.DescriptorYaml;

/** Reads a tabular descriptor as the image models' are read ({@link DescriptorYaml}). */
public final class TabularDescriptorReader {

	private TabularDescriptorReader() {
	}

	public static TabularDescriptor read(Path file) {
		return DescriptorYaml.read(file, TabularDescriptor.class, InvalidTabularModelException::new);
	}

}
