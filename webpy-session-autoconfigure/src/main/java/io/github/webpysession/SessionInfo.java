package io.github.webpysession;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What is known about a stored session, without its values.
 *
 * @param id the session's id in the store: a one-way digest of the cookie's id, never a
 * value a client could present as a cookie
 * @param principalName the name the session is indexed under, or null
 * @param created when the session started
 * @param lastAccessed when it was last used, as the store recorded it
 * @param expiresAt when it expires unless it is used again (or, with
 * {@code session.max-lifetime}, at the latest)
 * @param size its serialized size in bytes
 * @param attributeNames the keys it holds
 */
public record SessionInfo(String id, @Nullable String principalName, Instant created, Instant lastAccessed,
		Instant expiresAt, long size, Set<String> attributeNames) {

	public SessionInfo {
		attributeNames = Set.copyOf(attributeNames);
	}

}
