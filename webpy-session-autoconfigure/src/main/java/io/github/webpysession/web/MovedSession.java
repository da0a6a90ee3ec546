package io.github.webpysession.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What {@code regenerateId()} leaves under the old id for a short while: a marker naming
 * the new id's store key instead of the data. A request that loaded the session before
 * the move and saves after it finds the marker and carries its changes over to the new
 * id, so a write racing with a regenerate is never lost; a request that arrives with the
 * old id finds no session, as session fixation defence requires. The marker's last access
 * is dated so that the cleanup removes it {@link SessionWriter#MOVE_GRACE} after the
 * move.
 */
final class MovedSession {

	private static final byte[] MAGIC = "\0webpy-session:moved-to:".getBytes(StandardCharsets.US_ASCII);

	private MovedSession() {
	}

	/** The bytes that say the session moved to the store key {@code key}. */
	static byte[] to(String key) {
		byte[] target = key.getBytes(StandardCharsets.US_ASCII);
		byte[] bytes = Arrays.copyOf(MAGIC, MAGIC.length + target.length);
		System.arraycopy(target, 0, bytes, MAGIC.length, target.length);
		return bytes;
	}

	/**
	 * The store key that {@code data} says the session moved to, or null if it is a
	 * session's data.
	 */
	static @Nullable String target(byte[] data) {
		if (data.length <= MAGIC.length || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
			return null;
		}
		String id = new String(data, MAGIC.length, data.length - MAGIC.length, StandardCharsets.US_ASCII);
		return SessionIds.isWellFormed(id) ? id : null;
	}

}
