package org.mlpages.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Gives every rendered page what the shared layout needs: the menu and the current path.
 * An interceptor rather than a controller advice, so JSON answers and redirects never
 * build a menu (the credit API benchmark found that costing about a sixth of a request).
 */
@Component
class LayoutInterceptor implements HandlerInterceptor {

	private final Menu menu;

	LayoutInterceptor(Menu menu) {
		this.menu = menu;
	}

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
			ModelAndView page) {
		if (page == null || (!page.isReference() && page.getView() == null)) {
			return;
		}
		String name = page.getViewName();
		if (name != null && (name.startsWith("redirect:") || name.startsWith("forward:"))) {
			return;
		}
		page.addObject("menuEntries",
				menu.entries(RequestContextUtils.getLocale(request), request.isUserInRole(Menu.ADMIN_ROLE)));
		page.addObject("currentPath", request.getRequestURI().substring(request.getContextPath().length()));
	}

}
