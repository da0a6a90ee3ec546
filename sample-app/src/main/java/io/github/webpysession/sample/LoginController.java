package io.github.webpysession.sample;

import java.net.URI;

import io.github.webpysession.Session;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** web.py's login example. */
@RestController
class LoginController {

	private final Session session;

	LoginController(Session session) {
		this.session = session;
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String index() {
		if (this.session.get("logged_in", false)) {
			return "<h1>You are logged in</h1><a href=\"/logout\">Logout</a>";
		}
		return "<h1>You are not logged in.</h1><a href=\"/login\">Login now</a>";
	}

	@GetMapping("/login")
	ResponseEntity<Void> login() {
		this.session.put("logged_in", true);
		this.session.regenerateId();
		return seeOther();
	}

	@GetMapping("/logout")
	ResponseEntity<Void> logout() {
		this.session.put("logged_in", false);
		return seeOther();
	}

	private static ResponseEntity<Void> seeOther() {
		return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/")).build();
	}

}
