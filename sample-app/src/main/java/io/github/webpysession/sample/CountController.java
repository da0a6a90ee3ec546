package io.github.webpysession.sample;

import io.github.webpysession.Session;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** web.py's count example. */
@RestController
class CountController {

	private final Session session;

	CountController(Session session) {
		this.session = session;
	}

	@GetMapping(path = "/count", produces = MediaType.TEXT_PLAIN_VALUE)
	String count() {
		int count = this.session.get("count", 0) + 1;
		this.session.put("count", count);
		return String.valueOf(count);
	}

	@GetMapping(path = "/reset", produces = MediaType.TEXT_PLAIN_VALUE)
	String reset() {
		this.session.kill();
		return "";
	}

}
