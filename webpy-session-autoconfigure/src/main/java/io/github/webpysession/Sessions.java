package io.github.webpysession;

import java.util.List;
import java.util.Optional;

/**
 * The stored sessions, seen from outside any request: to list a user's sessions, or to
 * log a user out everywhere. Ids here are the ones {@link SessionInfo#id()} gives, which
 * identify a session in the store and are never a cookie's value. Expired sessions are
 * never answered.
 */
public interface Sessions {

	/**
	 * The live sessions indexed under {@code principalName}, most recently used first.
	 */
	List<SessionInfo> findByPrincipalName(String principalName);

	/** The live session {@code id}, if there is one. */
	Optional<SessionInfo> find(String id);

	/**
	 * Removes the session {@code id}: its next request starts a new one.
	 * @return whether there was such a session
	 */
	boolean kill(String id);

	/**
	 * Removes every session indexed under {@code principalName}: logs that user out
	 * everywhere.
	 * @return how many sessions were removed
	 */
	int killByPrincipalName(String principalName);

}
