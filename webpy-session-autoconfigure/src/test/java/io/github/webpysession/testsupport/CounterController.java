package io.github.webpysession.testsupport;

import io.github.webpysession.Session;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * web.py's counter over the injected {@link Session}: {@code /count} increments the key
 * {@code count}, {@code /read} reads it, {@code /reset} kills the session, {@code /plain}
 * never touches it. A test application takes it with {@code @Import}; no application
 * scans this package.
 */
@RestController
public class CounterController {

	private final Session session;

	public CounterController(Session session) {
		this.session = session;
	}

	@GetMapping("/count")
	String count() {
		int count = this.session.get("count", 0);
		this.session.put("count", count + 1);
		return String.valueOf(count + 1);
	}

	@GetMapping("/read")
	String read() {
		return String.valueOf(this.session.get("count", 0));
	}

	@GetMapping("/reset")
	void reset() {
		this.session.kill();
	}

	@GetMapping("/plain")
	String plain() {
		return "plain";
	}

}
