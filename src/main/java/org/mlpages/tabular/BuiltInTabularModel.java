package org.mlpages.tabular;

import java.util.Optional;

/**
 * A tabular model that is not an ONNX file of the models folder (the built-in credit
 * model, which its own component loads and describes): served by the same pages and API
 * as the others, listed in the menu and on the About page by that component.
 */
public interface BuiltInTabularModel {

	/** The model of that name, when it is this one and it loaded. */
	Optional<TabularModel> find(String name);

}
