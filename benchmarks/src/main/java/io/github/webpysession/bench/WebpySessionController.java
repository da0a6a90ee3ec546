package io.github.webpysession.bench;

import io.github.webpysession.Session;

import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /read} and {@code /count} on webpy-session, whichever store
 * {@code session.store} names.
 */
@RestController
@Profile("webpy")
class WebpySessionController {

	private final Session session;

	WebpySessionController(Session session) {
		this.session = session;
	}

	/** Reads one key; a request without a session cookie stores nothing. */
	@GetMapping("/read")
	String read() {
		return String.valueOf(this.session.get("count", 0));
	}

	@GetMapping("/count")
	String count() {
		int count = this.session.get("count", 0);
		this.session.put("count", count + 1);
		return String.valueOf(count + 1);
	}

}
