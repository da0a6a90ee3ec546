package io.github.webpysession.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.github.webpysession.Session;
import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.web.SessionCookie;
import io.github.webpysession.web.SessionHooks;
import io.github.webpysession.web.SessionInterceptor;
import io.github.webpysession.web.SessionLifecycle;
import io.github.webpysession.web.SessionPolicy;
import io.github.webpysession.web.SessionStorage;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Requests run through a {@link SessionInterceptor} in process, without a server, by a
 * client that keeps the session cookie: for tests of the lifecycle's decisions and of
 * what a store is asked per request.
 */
public final class InProcessClient {

	/** The session cookie's name. */
	public static final String COOKIE = "sid";

	private final SessionInterceptor interceptor;

	private @Nullable String cookie;

	private @Nullable MockHttpServletResponse lastResponse;

	public InProcessClient(SessionLifecycle lifecycle) {
		this.interceptor = new SessionInterceptor(lifecycle);
	}

	/**
	 * A lifecycle on {@code store} with web.py's defaults, a one-hour timeout and
	 * unsigned cookies named {@link #COOKIE}.
	 */
	public static SessionLifecycle lifecycle(SessionStore store, Clock clock) {
		return lifecycle(store, clock, SessionPolicy.of(Duration.ofHours(1)));
	}

	/**
	 * A lifecycle on {@code store} with this policy and unsigned cookies named
	 * {@link #COOKIE}.
	 */
	public static SessionLifecycle lifecycle(SessionStore store, Clock clock, SessionPolicy policy) {
		return new SessionLifecycle(
				new SessionStorage(store, new JavaSessionSerializer(InProcessClient.class.getClassLoader(), List.of()),
						new LocalSessionLocks()),
				new SessionCookie(SessionCookie.Settings.named(COOKIE), null, List.of()), policy,
				new SessionHooks(List.of(), (event) -> {
				}, clock));
	}

	/**
	 * Runs one request whose handler does {@code handler} with its session; returns that
	 * session.
	 */
	public Session request(Consumer<Session> handler) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		if (this.cookie != null) {
			request.setCookies(new Cookie(COOKIE, this.cookie));
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.interceptor.preHandle(request, response, new Object());
		Session session = SessionInterceptor.current(request);
		handler.accept(session);
		this.interceptor.afterCompletion(request, response, new Object(), null);
		Cookie set = response.getCookie(COOKIE);
		if (set != null) {
			this.cookie = (set.getMaxAge() == 0) ? null : set.getValue();
		}
		this.lastResponse = response;
		return session;
	}

	/** The response to the last request. */
	public MockHttpServletResponse lastResponse() {
		if (this.lastResponse == null) {
			throw new IllegalStateException("No request yet");
		}
		return this.lastResponse;
	}

	/** Forgets the cookie, as a new client. */
	public void forgetCookie() {
		this.cookie = null;
	}

}
