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
 * a CSV export of the same rows. Neither holds the rows of the whole log: the charts are
 * counted by the database ({@link HistoryQueries}), the export is read in slices. Each
 * row opens the page of its prediction.
 */
@Controller
class HistoryController implements MenuContributor {

	static final int PAGE_SIZE = 25;

	/**
	 * The export reads this many rows at a time: a row's probabilities may hold a
	 * thousand classes.
	 */
	static final int EXPORT_SLICE = 200;

	private final PredictionLog predictionLog;

	private final HistoryQueries queries;

	private final ModelWords modelWords;

	private final MessageSource messages;

	private final ZoneId zone = ZoneId.systemDefault();

	HistoryController(PredictionLog predictionLog, HistoryQueries queries, ModelWords modelWords,
			MessageSource messages) {
		this.predictionLog = predictionLog;
		this.queries = queries;
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
		model.addAttribute("charts", HistoryCharts.of(queries.figures(filter, zone), locale, modelWords, messages));
		model.addAttribute("modelWords", modelWords);
		model.addAttribute("models", predictionLog.modelNames());
		model.addAttribute("labels", predictionLog.labels());
		model.addAttribute("channels",
				Arrays.stream(PredictionRecord.Channel.values()).map(PredictionRecord.Channel::key).toList());
		model.addAttribute("zone", zone);
		return "history/list";
	}

	@GetMapping("/history/export.csv")
	void export(@ModelAttribute HistoryFilter filter, HttpServletResponse response) throws IOException {
		// the first slice read before the response is touched: with the database away,
		// the person gets the 503 page, not a half-begun download
		List<Prediction> slice = predictionLog.newestAfter(filter, null, EXPORT_SLICE, zone);
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"mlpages-history.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		HistoryCsv.header(out);
		HistoryCsv.rows(slice, out);
		while (slice.size() == EXPORT_SLICE) {
			slice = predictionLog.newestAfter(filter, slice.get(slice.size() - 1), EXPORT_SLICE, zone);
			HistoryCsv.rows(slice, out);
		}
		out.flush();
	}

}
