package io.github.webpysession.web;

import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The request's {@link RequestSession} seen as the servlet API's {@link HttpSession}: the
 * same data, id, cookie and store, so that an attribute set through one is read through
 * the other. {@link #invalidate()} is {@code kill()}. The timeout is
 * {@code session.timeout} for every session: {@link #setMaxInactiveInterval} is not
 * supported, and ignored with a warning.
 */
final class RequestHttpSession implements HttpSession {

	private static final Log logger = LogFactory.getLog(RequestHttpSession.class);

	private final RequestSession session;

	private final ServletContext servletContext;

	private final Duration timeout;

	private boolean invalidated;

	RequestHttpSession(RequestSession session, ServletContext servletContext, Duration timeout) {
		this.session = session;
		this.servletContext = servletContext;
		this.timeout = timeout;
	}

	boolean isInvalidated() {
		return this.invalidated;
	}

	@Override
	public long getCreationTime() {
		checkValid();
		return this.session.state().created().toEpochMilli();
	}

	@Override
	public String getId() {
		return this.session.getId();
	}

	@Override
	public long getLastAccessedTime() {
		checkValid();
		return this.session.state().lastAccessed().toEpochMilli();
	}

	@Override
	public ServletContext getServletContext() {
		return this.servletContext;
	}

	@Override
	public void setMaxInactiveInterval(int interval) {
		logger.warn("HttpSession.setMaxInactiveInterval(" + interval + ") is not supported and was ignored: every"
				+ " session expires after session.timeout (" + this.timeout + ")");
	}

	@Override
	public int getMaxInactiveInterval() {
		return (int) Math.min(Integer.MAX_VALUE, this.timeout.toSeconds());
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		checkValid();
		return this.session.get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		checkValid();
		return Collections.enumeration(this.session.keys());
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		checkValid();
		this.session.put(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		checkValid();
		this.session.remove(name);
	}

	@Override
	public void invalidate() {
		checkValid();
		this.invalidated = true;
		this.session.kill();
	}

	@Override
	public boolean isNew() {
		checkValid();
		return this.session.isNew();
	}

	private void checkValid() {
		if (this.invalidated) {
			throw new IllegalStateException("The session was invalidated");
		}
	}

}
