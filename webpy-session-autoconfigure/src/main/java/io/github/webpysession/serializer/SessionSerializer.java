package io.github.webpysession.serializer;

import org.jspecify.annotations.Nullable;

/**
 * Turns {@link SessionData} into the bytes a store keeps, and back. A user's own bean of
 * this type replaces the default {@link JavaSessionSerializer}.
 */
public interface SessionSerializer {

	/**
	 * @throws UnstorableValueException if a value could not be read back; nothing is
	 * written
	 */
	byte[] serialize(SessionData data);

	/**
	 * @throws UnreadableSessionException if the bytes cannot be read back safely,
	 * whatever the reason: no other exception may escape
	 */
	SessionData deserialize(byte[] bytes);

	/**
	 * Checks a value as it is put, so that one that could never be read back is refused
	 * at once, naming its key, rather than stored and the whole session lost at its next
	 * load. Does nothing by default.
	 * @param key the session key
	 * @param value the value put; null (a removal) is always accepted
	 * @throws UnstorableValueException if the value could not be read back
	 */
	default void checkValue(String key, @Nullable Object value) {
	}

}
