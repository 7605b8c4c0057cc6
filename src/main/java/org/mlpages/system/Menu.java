package org.mlpages.system;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * The one registry of pages: collects what every {@link MenuContributor} offers, in menu
 * order.
 */
@Component
public class Menu {

	private final List<MenuContributor> contributors;

	public Menu(List<MenuContributor> contributors) {
		this.contributors = contributors;
	}

	public List<MenuEntry> entries(Locale locale) {
		return contributors.stream()
			.flatMap(contributor -> contributor.menuEntries(locale).stream())
			.sorted(Comparator.comparingInt(MenuEntry::order).thenComparing(MenuEntry::path))
			.toList();
	}

}
