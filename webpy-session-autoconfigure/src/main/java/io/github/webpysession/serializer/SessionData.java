package io.github.webpysession.serializer;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a session holds: its attributes, and what the starter itself keeps about it.
 *
 * @param created when the session started; survives {@code regenerateId()}
 * @param ip the client address that started it, for {@code session.ignore-change-ip}
 * @param principalName the name the session is indexed under (the logged-in user), or
 * null
 * @param attributes the application's keys and values
 */
public record SessionData(Instant created, @Nullable String ip, @Nullable String principalName,
		Map<String, Object> attributes) {

	/** A session not indexed under any principal. */
	public SessionData(Instant created, @Nullable String ip, Map<String, Object> attributes) {
		this(created, ip, null, attributes);
	}

}
