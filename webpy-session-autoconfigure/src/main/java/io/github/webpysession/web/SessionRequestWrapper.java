package io.github.webpysession.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * A request whose {@link #getSession} is the starter's session rather than the
 * container's, as {@link SessionFilter} hands it down. Lazy like
 * {@link io.github.webpysession.Session}: {@code getSession(false)} reads no store when
 * the request carries no session cookie, and {@code getSession(true)} stores nothing
 * until an attribute is set.
 */
final class SessionRequestWrapper extends HttpServletRequestWrapper {

	private final RequestSession session;

	private final Duration timeout;

	private @Nullable RequestHttpSession httpSession;

	SessionRequestWrapper(HttpServletRequest request, RequestSession session, Duration timeout) {
		super(request);
		this.session = session;
		this.timeout = timeout;
	}

	@Override
	public @Nullable HttpSession getSession(boolean create) {
		RequestHttpSession current = this.httpSession;
		if (current != null && !current.isInvalidated()) {
			return current;
		}
		if (current != null) {
			if (!create) {
				return null;
			}
			this.session.renew();
		}
		else if (!create && !exists()) {
			return null;
		}
		this.session.ensureLoaded();
		this.httpSession = new RequestHttpSession(this.session, getServletContext(), this.timeout);
		return this.httpSession;
	}

	/**
	 * Whether the client has a live session, or this request wrote one. Never a store
	 * read without a cookie, nor once the handler has completed without using the
	 * session, nor once the request was answered that its session expired (every session
	 * its cookies named was found gone or removed): Spring MVC asks for the session id
	 * after every request, for its {@code ServletRequestHandledEvent}.
	 */
	private boolean exists() {
		// handler first: a completed request that never used its session parses no cookie
		if (!this.session.isLoaded() && (this.session.isHandlerDone() || this.session.isExpiredAnswer()
				|| this.session.requestedIds().isEmpty())) {
			return false;
		}
		this.session.ensureLoaded();
		return !this.session.state().isKilled() && (!this.session.isNew() || this.session.state().isDirty());
	}

	@Override
	public HttpSession getSession() {
		return getSession(true);
	}

	@Override
	public String changeSessionId() {
		if (getSession(false) == null) {
			throw new IllegalStateException("The request has no session whose id could change");
		}
		return this.session.regenerateId();
	}

	@Override
	public @Nullable String getRequestedSessionId() {
		List<SessionCookie.RequestedId> ids = this.session.requestedIds();
		return ids.isEmpty() ? null : ids.get(0).id();
	}

	/**
	 * Whether a cookie named the session this request uses. No store read once the
	 * request was answered that its session expired, nor once the handler has completed
	 * without using the session.
	 */
	@Override
	public boolean isRequestedSessionIdValid() {
		if (this.session.isExpiredAnswer() || (!this.session.isLoaded() && this.session.isHandlerDone())
				|| this.session.requestedIds().isEmpty()) {
			return false;
		}
		this.session.ensureLoaded();
		return this.session.requestedIds().stream().anyMatch((id) -> id.id().equals(this.session.state().id()))
				&& !this.session.isNew();
	}

	@Override
	public boolean isRequestedSessionIdFromCookie() {
		return !this.session.requestedIds().isEmpty();
	}

	@Override
	public boolean isRequestedSessionIdFromURL() {
		return false;
	}

	/**
	 * A response that saves the session before a redirect, an error or a flush commits
	 * it, as a filter's redirect does (a form login's): a failing store can still answer
	 * 503, and the data is stored before the client follows the redirect.
	 */
	static final class SavingResponse extends HttpServletResponseWrapper {

		private final SessionLifecycle lifecycle;

		private final HttpServletRequest request;

		SavingResponse(HttpServletResponse response, SessionLifecycle lifecycle, HttpServletRequest request) {
			super(response);
			this.lifecycle = lifecycle;
			this.request = request;
		}

		@Override
		public void sendRedirect(String location) throws IOException {
			this.lifecycle.save(this.request);
			super.sendRedirect(location);
		}

		@Override
		public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
			this.lifecycle.save(this.request);
			super.sendRedirect(location, sc, clearBuffer);
		}

		@Override
		public void sendError(int sc) throws IOException {
			this.lifecycle.save(this.request);
			super.sendError(sc);
		}

		@Override
		public void sendError(int sc, String msg) throws IOException {
			this.lifecycle.save(this.request);
			super.sendError(sc, msg);
		}

		@Override
		public void flushBuffer() throws IOException {
			this.lifecycle.save(this.request);
			super.flushBuffer();
		}

	}

}
