package org.mlpages.history;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import org.mlpages.catalog.ModelWords;
import org.mlpages.system.MenuContributor;
import org.mlpages.system.MenuEntry;

import org.springframework.context.MessageSource;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The admin's view of what the models were asked and answered: filters, pages, charts and
 * a CSV export of the same rows. Each row opens the page of its prediction.
 */
@Controller
class HistoryController implements MenuContributor {

	static final int PAGE_SIZE = 25;

	/** Charts and export read at most this many of the newest filtered rows. */
	static final int ANALYSED_ROWS = 100_000;

	private final PredictionLog predictionLog;

	private final ModelWords modelWords;

	private final MessageSource messages;

	private final ZoneId zone = ZoneId.systemDefault();

	HistoryController(PredictionLog predictionLog, ModelWords modelWords, MessageSource messages) {
		this.predictionLog = predictionLog;
		this.modelWords = modelWords;
		this.messages = messages;
	}

	@Override
	public List<MenuEntry> menuEntries(Locale locale) {
		return List.of(MenuEntry.ofMessage("/history", "menu.history", 900).forAdminOnly());
	}

	@GetMapping("/history")
	String history(@ModelAttribute("filter") HistoryFilter filter,
			@RequestParam(name = "page", defaultValue = "0") int page, Model model, Locale locale) {
		Page<Prediction> predictions = predictionLog.page(filter, page, PAGE_SIZE, zone);
		model.addAttribute("predictions", predictions);
		model.addAttribute("charts", HistoryCharts.of(predictionLog.newest(filter, ANALYSED_ROWS, zone), zone, locale,
				modelWords, messages));
		model.addAttribute("modelWords", modelWords);
		model.addAttribute("models", predictionLog.modelNames());
		model.addAttribute("labels", predictionLog.labels());
		model.addAttribute("channels",
				Arrays.stream(PredictionRecord.Channel.values())
					.map(channel -> channel.name().toLowerCase(Locale.ROOT))
					.toList());
		model.addAttribute("zone", zone);
		return "history/list";
	}

	@GetMapping("/history/export.csv")
	void export(@ModelAttribute HistoryFilter filter, HttpServletResponse response) throws IOException {
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"mlpages-history.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		HistoryCsv.write(predictionLog.newest(filter, ANALYSED_ROWS, zone), out);
		out.flush();
	}

}
