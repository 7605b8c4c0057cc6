package org.mlpages.system;

import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives every page what the shared layout needs: the menu and the current path. */
@ControllerAdvice(annotations = Controller.class)
class LayoutModelAdvice {

	private final Menu menu;

	LayoutModelAdvice(Menu menu) {
		this.menu = menu;
	}

	@ModelAttribute("menuEntries")
	List<MenuEntry> menuEntries(Locale locale) {
		return menu.entries(locale);
	}

	@ModelAttribute("currentPath")
	String currentPath(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

}
