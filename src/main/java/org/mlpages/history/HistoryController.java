package org.mlpages.history;

import java.util.List;
import java.util.Locale;

import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class HistoryController implements MenuContributor {

	static final int PAGE_SIZE = 50;

	private final PredictionLog predictionLog;

	HistoryController(PredictionLog predictionLog) {
		this.predictionLog = predictionLog;
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return List.of(MenuEntry.ofMessage("/history", "menu.history", 900));
	}

	@GetMapping("/history")
	String history(Model model) {
		model.addAttribute("predictions", predictionLog.latest(PAGE_SIZE));
		model.addAttribute("total", predictionLog.count());
		model.addAttribute("zone", java.time.ZoneId.systemDefault());
		return "history/list";
	}

}
