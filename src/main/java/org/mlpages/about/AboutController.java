package org.mlpages.about;

import java.util.List;
import java.util.Locale;

import org.mlpages.catalog.ModelCards;
import org.mlpages.history.RetentionProperties;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** What the app does, and the card of every model it serves or failed to load. */
@Controller
class AboutController implements MenuContributor {

	private final ModelCards modelCards;

	private final RetentionProperties retention;

	AboutController(ModelCards modelCards, RetentionProperties retention) {
		this.modelCards = modelCards;
		this.retention = retention;
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return List.of(MenuEntry.ofMessage("/about", "menu.about", 100));
	}

	@GetMapping("/about")
	String about(Model model, Locale locale) {
		model.addAttribute("modelCards", modelCards.all(locale));
		model.addAttribute("retentionDays", retention.days());
		return "about";
	}

}
