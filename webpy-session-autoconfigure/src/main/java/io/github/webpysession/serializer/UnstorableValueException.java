package io.github.webpysession.serializer;

import org.jspecify.annotations.Nullable;

/**
 * A session value that could not be read back if it were stored: not
 * {@code Serializable}, outside the {@code session.allowed-classes} allow-list, or nested
 * too deeply. Thrown when the value is put or the session saved, so that it is refused
 * then, rather than stored and the whole session lost at its next load. The message names
 * the key, the class, and the fix.
 */
public class UnstorableValueException extends IllegalArgumentException {

	private final @Nullable String key;

	public UnstorableValueException(@Nullable String key, String message) {
		super(message);
		this.key = key;
	}

	public UnstorableValueException(@Nullable String key, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.key = key;
	}

	/** The session key of the refused value, or null where it is not known. */
	public @Nullable String getKey() {
		return this.key;
	}

}
