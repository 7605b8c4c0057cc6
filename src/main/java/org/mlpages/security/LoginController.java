package org.mlpages.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form of the admin account; Spring Security checks what it posts. */
@Controller
class LoginController {

	private final LoginThrottle throttle;

	LoginController(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@GetMapping("/login")
	String login(HttpServletRequest request, HttpServletResponse response, Model model) {
		if (throttle.isBlocked(request.getRemoteAddr())) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			response.setHeader("Retry-After", String.valueOf(LoginThrottle.WINDOW.toSeconds()));
			model.addAttribute("blocked", true);
		}
		return "login";
	}

}
