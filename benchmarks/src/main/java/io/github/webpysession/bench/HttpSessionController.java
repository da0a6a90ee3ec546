package io.github.webpysession.bench;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /read} and {@code /count} on the servlet {@link HttpSession}: Spring Session's
 * (JDBC or Redis) or Tomcat's own, whichever the active profile leaves in place.
 */
@RestController
@Profile("!webpy")
class HttpSessionController {

	/** Reads one key and never creates a session. */
	@GetMapping("/read")
	String read(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		Object count = (session != null) ? session.getAttribute("count") : null;
		return String.valueOf((count != null) ? count : 0);
	}

	@GetMapping("/count")
	String count(HttpSession session) {
		Integer count = (Integer) session.getAttribute("count");
		int next = ((count != null) ? count : 0) + 1;
		session.setAttribute("count", next);
		return String.valueOf(next);
	}

}
