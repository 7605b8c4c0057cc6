package org.mlpages.system;

/**
 * One line of the side menu. The label is either a message key or, for pages named by a
 * model's own descriptor, a text already in the reader's language.
 *
 * @param path where the page lives
 * @param label message key, or the display text when {@code literal}
 * @param literal whether {@code label} is display text rather than a message key
 * @param order position in the menu, smaller first
 * @param adminOnly whether only the admin is shown it (a visitor would meet a login page)
 */
public record MenuEntry(String path, String label, boolean literal, int order, boolean adminOnly) {

	public static MenuEntry ofMessage(String path, String messageKey, int order) {
		return new MenuEntry(path, messageKey, false, order, false);
	}

	public static MenuEntry ofText(String path, String text, int order) {
		return new MenuEntry(path, text, true, order, false);
	}

	/** The same entry, shown to the admin only. */
	public MenuEntry forAdminOnly() {
		return new MenuEntry(path, label, literal, order, true);
	}

}
