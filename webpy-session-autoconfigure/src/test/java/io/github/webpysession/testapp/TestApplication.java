package io.github.webpysession.testapp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.Session;
import io.github.webpysession.SessionInitializer;
import io.github.webpysession.testsupport.MutableClock;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * An application whose pages exercise every way a handler can use and answer with a
 * session.
 */
@SpringBootApplication
public class TestApplication {

	@Bean
	MutableClock clock() {
		return new MutableClock();
	}

	@Bean
	SessionInitializer countStartsAtZero() {
		return (session) -> session.put("count", 0);
	}

	@Bean
	Hold hold() {
		return new Hold();
	}

	/**
	 * Keeps {@code /hold} requests running, with their session in use, until the test
	 * lets them go: a slow handler without sleeping.
	 */
	public static final class Hold {

		private final Semaphore entered = new Semaphore(0);

		private final Semaphore released = new Semaphore(0);

		void enterAndWait() throws InterruptedException {
			this.entered.release();
			this.released.tryAcquire(30, TimeUnit.SECONDS);
		}

		/** Waits until a {@code /hold} request is running. */
		public void awaitEntered() throws InterruptedException {
			if (!this.entered.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("No /hold request started within 10 s");
			}
		}

		/** Lets one {@code /hold} request finish. */
		public void release() {
			this.released.release();
		}

	}

	/**
	 * An application interceptor that guards a page with the session, as login checks do.
	 */
	@Bean
	WebMvcConfigurer guard(Session session) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new HandlerInterceptor() {

					@Override
					public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
						if (session.contains("user")) {
							return true;
						}
						response.setStatus(HttpStatus.FORBIDDEN.value());
						return false;
					}

				}).addPathPatterns("/guarded");
			}

		};
	}

	/** Pages using a {@link Session} injected into a singleton. */
	@RestController
	static class InjectedSessionController {

		private final Session session;

		private final Hold hold;

		InjectedSessionController(Session session, Hold hold) {
			this.session = session;
			this.hold = hold;
		}

		@GetMapping("/count")
		String count() {
			int count = this.session.get("count", 0) + 1;
			this.session.put("count", count);
			return String.valueOf(count);
		}

		@GetMapping("/reset")
		String reset() {
			this.session.kill();
			return "";
		}

		@GetMapping("/read")
		String read() {
			return String.valueOf(this.session.get("count", 0));
		}

		@GetMapping("/plain")
		String plain() {
			return "plain";
		}

		@GetMapping("/set")
		String set(@RequestParam String key, @RequestParam String value) {
			this.session.put(key, value);
			return "ok";
		}

		@GetMapping("/get")
		String get(@RequestParam String key) {
			return String.valueOf(this.session.<Object>get(key));
		}

		/** Reads {@code key} once the test lets the request go on. */
		@GetMapping("/held-get")
		String heldGet(@RequestParam String key) throws InterruptedException {
			this.hold.enterAndWait();
			return String.valueOf(this.session.<Object>get(key));
		}

		@GetMapping("/login")
		String login() {
			this.session.put("user", "alice");
			return this.session.regenerateId();
		}

		@GetMapping("/guarded")
		String guarded() {
			return "welcome " + this.session.get("user");
		}

		@GetMapping("/id")
		String id() {
			return this.session.getId();
		}

	}

	/** A page that reads its session, then keeps running until the test releases it. */
	@RestController
	static class HoldController {

		private final Hold hold;

		HoldController(Hold hold) {
			this.hold = hold;
		}

		@GetMapping("/hold")
		String hold(Session session) throws InterruptedException {
			int count = session.get("count", 0);
			this.hold.enterAndWait();
			return String.valueOf(count);
		}

	}

	/**
	 * Pages taking {@link Session} as a handler-method argument, answering in other ways.
	 */
	@RestController
	static class ArgumentSessionController {

		@GetMapping("/redirect")
		ResponseEntity<Void> redirect(Session session) {
			session.put("redirected", "yes");
			return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/get?key=redirected")).build();
		}

		@GetMapping("/entity")
		ResponseEntity<String> entity(Session session) {
			session.put("entity", "yes");
			return ResponseEntity.status(HttpStatus.CREATED).body("created");
		}

		@GetMapping("/view")
		ModelAndView view(Session session) {
			session.put("viewed", "yes");
			View view = (model, request, response) -> response.getWriter().write("rendered");
			return new ModelAndView(view);
		}

		@GetMapping("/throw")
		String fail(Session session) {
			session.put("thrown", "yes");
			throw new IllegalStateException("handler failed on purpose");
		}

		@GetMapping("/stream")
		void stream(Session session, HttpServletResponse response) throws IOException {
			session.put("streamed", "yes");
			response.setContentType("text/plain");
			response.getOutputStream().write("streamed".getBytes(StandardCharsets.UTF_8));
			response.flushBuffer();
		}

		@GetMapping("/big")
		String big(Session session, @RequestParam int bytes) {
			session.put("small", "x");
			session.put("huge", "y".repeat(bytes));
			return "ok";
		}

	}

}
