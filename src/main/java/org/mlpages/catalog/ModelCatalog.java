package org.mlpages.catalog;

import java.util.List;
import java.util.Locale;

/**
 * A feature that serves models: the about page, the API and the health check list what
 * each offers.
 */
public interface ModelCatalog {

	List<ModelCard> modelCards(Locale locale);

}
