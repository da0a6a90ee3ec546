package io.github.webpysession.bench;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The baseline of every variant: a request that never touches a session. */
@RestController
class PlainController {

	@GetMapping("/plain")
	String plain() {
		return "plain";
	}

}
