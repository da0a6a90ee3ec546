package io.github.webpysession;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The current request's server-side session: web.py's {@code web.session.Session}, for
 * Spring MVC.
 * <p>
 * Inject it into a controller (it behaves as a request-scoped bean: each call goes to the
 * session of the request being handled) or take it as a handler-method parameter. Its
 * data is loaded from the store on first use and saved when the request ends, and only
 * what the request changed is written. A new session is stored, and its cookie set, only
 * once something is written to it.
 */
public interface Session {

	/** The session's id, as its cookie carries it (without the signature). */
	String getId();

	/** True until the session has been stored once. */
	boolean isNew();

	/** The value stored under {@code key}, or null. */
	<T> @Nullable T get(String key);

	/** The value stored under {@code key}, or {@code defaultValue} when there is none. */
	<T> T get(String key, T defaultValue);

	/** Stores {@code value} under {@code key}; a null value removes the key. */
	void put(String key, @Nullable Object value);

	/** Removes {@code key} and returns its value, or null when there was none. */
	@Nullable Object remove(String key);

	/** Whether {@code key} has a value. */
	boolean contains(String key);

	/** The keys that have a value; a snapshot. */
	Set<String> keys();

	/** web.py's kill: the session leaves the store and the response clears the cookie. */
	void kill();

	/**
	 * Gives the same data a new id, as a defence against session fixation: call it at
	 * login. The old id stops working; the cookie carries the new one.
	 * @return the new id
	 */
	String regenerateId();

	/**
	 * The name this session is indexed under, such as the logged-in user's; null while it
	 * is none.
	 */
	@Nullable String getPrincipalName();

	/**
	 * Indexes this session under {@code principalName}, so that {@link Sessions} finds it
	 * by that name (null: under none). Spring Security's login sets it by itself.
	 */
	void setPrincipalName(@Nullable String principalName);

}
