package io.github.webpysession.sample.security;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.github.webpysession.SessionInfo;
import io.github.webpysession.Sessions;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Who is logged in, that user's sessions, and logging out the others. */
@Controller
class SessionsController {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneId.systemDefault());

	private final Sessions sessions;

	SessionsController(Sessions sessions) {
		this.sessions = sessions;
	}

	@GetMapping("/")
	String index(Authentication user, HttpSession current, Model model) {
		List<Row> rows = this.sessions.findByPrincipalName(user.getName())
			.stream()
			.map((info) -> Row.of(info, CurrentSession.is(info, current)))
			.toList();
		model.addAttribute("user", user.getName());
		model.addAttribute("sessions", rows);
		return "index";
	}

	/** The logged-in user's name, as plain text: for scripts and tests. */
	@GetMapping(path = "/me", produces = MediaType.TEXT_PLAIN_VALUE)
	@ResponseBody
	String me(Authentication user) {
		return user.getName();
	}

	@PostMapping("/sessions/logout-others")
	String logOutOthers(Authentication user, HttpSession current, RedirectAttributes redirect) {
		int killed = 0;
		for (SessionInfo info : this.sessions.findByPrincipalName(user.getName())) {
			if (!CurrentSession.is(info, current) && this.sessions.kill(info.id())) {
				killed++;
			}
		}
		redirect.addFlashAttribute("message",
				"Logged out " + killed + " other session" + ((killed != 1) ? "s" : "") + ".");
		return "redirect:/";
	}

	/** A session as the page shows it: never its full id. */
	record Row(String id, String created, String lastAccessed, String attributes, boolean current) {

		static Row of(SessionInfo info, boolean current) {
			return new Row(info.id().substring(0, Math.min(8, info.id().length())) + "…", TIME.format(info.created()),
					TIME.format(info.lastAccessed()),
					String.join(", ", info.attributeNames().stream().sorted().toList()), current);
		}

	}

}
