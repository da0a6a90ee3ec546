package io.github.webpysession.web;

import java.util.Set;

import io.github.webpysession.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The {@link Session} bean: one singleton that behaves as a request-scoped bean, each
 * call going to the session of the request this thread is handling. It costs one
 * request-attribute lookup per call, where a request-scoped bean would be created, with
 * the whole bean post-processor chain, for every request.
 */
public final class CurrentRequestSession implements Session {

	/**
	 * The session of the request this thread is handling.
	 * @throws IllegalStateException outside a request, or in a request that neither
	 * {@link SessionFilter} nor {@link SessionInterceptor} saw
	 */
	public static Session current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (!(attributes instanceof ServletRequestAttributes servlet)) {
			throw new IllegalStateException("Session was used outside a request (on thread "
					+ Thread.currentThread().getName() + "): the injected Session is the session of the request"
					+ " being handled; use it while handling one, or take Session as a handler-method parameter");
		}
		return SessionLifecycle.current(servlet.getRequest());
	}

	@Override
	public String getId() {
		return current().getId();
	}

	@Override
	public boolean isNew() {
		return current().isNew();
	}

	@Override
	public <T> @Nullable T get(String key) {
		return current().get(key);
	}

	@Override
	public <T> T get(String key, T defaultValue) {
		return current().get(key, defaultValue);
	}

	@Override
	public void put(String key, @Nullable Object value) {
		current().put(key, value);
	}

	@Override
	public @Nullable Object remove(String key) {
		return current().remove(key);
	}

	@Override
	public boolean contains(String key) {
		return current().contains(key);
	}

	@Override
	public Set<String> keys() {
		return current().keys();
	}

	@Override
	public void kill() {
		current().kill();
	}

	@Override
	public String regenerateId() {
		return current().regenerateId();
	}

	@Override
	public @Nullable String getPrincipalName() {
		return current().getPrincipalName();
	}

	@Override
	public void setPrincipalName(@Nullable String principalName) {
		current().setPrincipalName(principalName);
	}

	@Override
	public String toString() {
		try {
			return "CurrentRequestSession[" + current() + "]";
		}
		catch (IllegalStateException ex) {
			return "CurrentRequestSession[no request]";
		}
	}

}
