package io.github.webpysession.serializer;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a session holds: its attributes, and what the starter itself keeps about it.
 *
 * @param created when the session started; survives {@code regenerateId()}
 * @param ip the client address that started it, for {@code session.ignore-change-ip}
 * @param attributes the application's keys and values
 */
public record SessionData(Instant created, @Nullable String ip, Map<String, Object> attributes) {

}
