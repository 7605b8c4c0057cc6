package org.mlpages.system;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * The one registry of pages: collects what every {@link MenuContributor} offers, in menu
 * order, leaving out the admin's pages for everybody else.
 */
@Component
public class Menu {

	/** The role of the admin account, as a request answers {@code isUserInRole}. */
	public static final String ADMIN_ROLE = "ADMIN";

	private final List<MenuContributor> contributors;

	public Menu(List<MenuContributor> contributors) {
		this.contributors = contributors;
	}

	/**
	 * @param admin whether the reader is the admin, who alone sees the admin's pages
	 */
	public List<MenuEntry> entries(Locale locale, boolean admin) {
		return contributors.stream()
			.flatMap(contributor -> contributor.menuEntries(locale).stream())
			.filter(entry -> admin || !entry.adminOnly())
			.sorted(Comparator.comparingInt(MenuEntry::order).thenComparing(MenuEntry::path))
			.toList();
	}

}
