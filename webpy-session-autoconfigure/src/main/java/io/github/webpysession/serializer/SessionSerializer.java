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

}
