package io.github.webpysession.web;

import org.jspecify.annotations.Nullable;

/**
 * Derives the name a session is indexed under from what the application stores in it, so
 * that an integration indexes logins by itself: Spring Security's, from the security
 * context it keeps in the session. Asked whenever a request puts a value under a key it
 * {@link #appliesTo}.
 */
public interface SessionPrincipalResolver {

	/** Whether a value put under {@code key} tells who the session belongs to. */
	boolean appliesTo(String key);

	/**
	 * The principal name that {@code value}, just put, implies; null for none (a logout).
	 */
	@Nullable String principalName(@Nullable Object value);

}
