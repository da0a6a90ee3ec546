package io.github.webpysession.testapp;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Pages that use the servlet API's {@link HttpSession}, and flash attributes, instead of
 * {@code Session}.
 */
@RestController
class HttpSessionPages {

	@GetMapping("/http/set")
	String set(HttpServletRequest request, @RequestParam String key, @RequestParam String value) {
		request.getSession().setAttribute(key, value);
		return request.getSession().getId();
	}

	@GetMapping("/http/get")
	String get(HttpServletRequest request, @RequestParam String key) {
		HttpSession session = request.getSession(false);
		return (session != null) ? String.valueOf(session.getAttribute(key)) : "no session";
	}

	@GetMapping("/http/invalidate")
	String invalidate(HttpServletRequest request) {
		request.getSession().invalidate();
		return "invalidated";
	}

	@GetMapping("/http/change")
	String change(HttpServletRequest request) {
		return request.changeSessionId();
	}

	@GetMapping("/http/times")
	String times(HttpServletRequest request) {
		HttpSession session = request.getSession();
		return session.getCreationTime() + " " + session.getLastAccessedTime();
	}

	@GetMapping("/flash/set")
	RedirectView flash(RedirectAttributes attributes, @RequestParam String message) {
		attributes.addFlashAttribute("message", message);
		return new RedirectView("/flash/show", true);
	}

	@GetMapping("/flash/show")
	String show(Model model) {
		return String.valueOf(model.getAttribute("message"));
	}

}
