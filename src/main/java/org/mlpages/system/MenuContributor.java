package org.mlpages.system;

import java.util.List;
import java.util.Locale;

/**
 * A feature that has pages in the side menu. Every bean of this type is asked when a page
 * is rendered, so a new feature appears in the menu by declaring one, without touching
 * the layout.
 */
public interface MenuContributor {

	List<MenuEntry> menuEntries(Locale locale);

}
