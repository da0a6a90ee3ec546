package io.github.webpysession.serializer;

/**
 * Turns {@link SessionData} into the bytes a store keeps, and back. A user's own bean of this
 * type replaces the default {@link JavaSessionSerializer}.
 */
public interface SessionSerializer {

	byte[] serialize(SessionData data);

	/**
	 * @throws UnreadableSessionException if the bytes cannot be read back safely
	 */
	SessionData deserialize(byte[] bytes);

	/**
	 * Refuses a value that {@link #serialize} could not write or {@link #deserialize} could not
	 * read back, when it is put, so that the error points at the code that put it. Accepts
	 * everything by default.
	 * @param key the key the value is put under, for the message
	 * @param value the value
	 * @throws IllegalArgumentException naming the key and the value's class, if it is refused
	 */
	default void checkValue(String key, Object value) {
	}

}
