package org.mlpages.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The address people are given leads to the demo: a first visitor understands the app by
 * trying it, with samples at hand.
 */
@Controller
class WelcomeController {

	@GetMapping("/")
	String welcome() {
		return "redirect:/demo";
	}

}
