package io.github.webpysession.promises;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.github.webpysession.Session;
import io.github.webpysession.testsupport.MutableClock;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application {@link SessionPromisesTests} runs on any store: one page per thing a
 * handler does with its session. Pages taking {@code gate=true} load the session, then
 * wait at the {@link Gate} before doing their work, so that a test can break the store in
 * the middle of a request.
 */
@SpringBootApplication
public class PromisesApplication {

	/**
	 * Starts the application on a random port with {@code properties} as command-line
	 * arguments, after {@code customizer} has added to it.
	 */
	public static ConfigurableApplicationContext start(Map<String, String> properties,
			Consumer<SpringApplicationBuilder> customizer) {
		// the error page says what failed: a test reads the message of an exception
		// answered 500 there
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.main.banner-mode=off", "--spring.flyway.enabled=false",
						"--server.shutdown=immediate", "--spring.web.error.include-message=always"));
		properties.forEach((name, value) -> args.add("--" + name + "=" + value));
		SpringApplicationBuilder application = new SpringApplicationBuilder(PromisesApplication.class);
		customizer.accept(application);
		return application.run(args.toArray(String[]::new));
	}

	/** The port {@code context}'s server listens on. */
	public static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Bean
	MutableClock clock() {
		return new MutableClock();
	}

	@Bean
	Gate gate() {
		return new Gate();
	}

	/** Where a gated request waits, its session loaded, until the test lets it go on. */
	public static final class Gate {

		private final Semaphore entered = new Semaphore(0);

		private final Semaphore released = new Semaphore(0);

		void pass() throws InterruptedException {
			this.entered.release();
			if (!this.released.tryAcquire(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The test did not release the gate within 20 s");
			}
		}

		/** Waits until a request is at the gate. */
		public void awaitEntered() throws InterruptedException {
			if (!this.entered.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("No request reached the gate within 10 s");
			}
		}

		/** Lets one request at the gate go on. */
		public void release() {
			this.released.release();
		}

		/** Forgets what earlier tests left. */
		public void reset() {
			this.entered.drainPermits();
			this.released.drainPermits();
		}

	}

	@RestController
	static class Pages {

		private final Session session;

		private final Gate gate;

		Pages(Session session, Gate gate) {
			this.session = session;
			this.gate = gate;
		}

		@GetMapping("/put")
		String put(@RequestParam String key, @RequestParam String value,
				@RequestParam(defaultValue = "false") boolean gate) throws InterruptedException {
			enter(gate);
			this.session.put(key, value);
			return "ok";
		}

		/** Every key, sorted, as {@code key=value} lines. */
		@GetMapping("/keys")
		String keys() {
			return this.session.keys()
				.stream()
				.sorted()
				.map((key) -> key + "=" + this.session.get(key))
				.collect(Collectors.joining("\n"));
		}

		@GetMapping("/read")
		String read(@RequestParam(defaultValue = "false") boolean gate) throws InterruptedException {
			enter(gate);
			return String.valueOf(this.session.keys().size());
		}

		@GetMapping("/regen")
		String regen(@RequestParam(defaultValue = "false") boolean gate, @RequestParam(defaultValue = "1") int times)
				throws InterruptedException {
			enter(gate);
			for (int i = 0; i < times; i++) {
				this.session.regenerateId();
			}
			return "ok";
		}

		@GetMapping("/kill")
		String kill(@RequestParam(defaultValue = "false") boolean gate) throws InterruptedException {
			enter(gate);
			this.session.kill();
			return "ok";
		}

		@GetMapping("/plain")
		String plain() {
			return "plain";
		}

		/** A login: a new session written to, then given a new id, in one request. */
		@GetMapping("/login")
		String login() {
			this.session.put("user", "alice");
			this.session.regenerateId();
			return "ok";
		}

		/**
		 * Uses its session, then holds it (and its lock, with {@code session.lock}) at
		 * the gate.
		 */
		@GetMapping("/hold")
		String hold() throws InterruptedException {
			this.session.keys();
			this.gate.pass();
			return "held";
		}

		/**
		 * Puts a value whose class ({@code java.net.URL}) is outside the default
		 * allow-list.
		 */
		@GetMapping("/put-url")
		String putUrl() throws Exception {
			this.session.put("url", new URL("http://example.com/"));
			return "ok";
		}

		private void enter(boolean gate) throws InterruptedException {
			if (gate) {
				this.session.keys();
				this.gate.pass();
			}
		}

	}

}
