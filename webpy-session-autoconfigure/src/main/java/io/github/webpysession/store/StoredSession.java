package io.github.webpysession.store;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.github.webpysession.serializer.UnreadableSessionException;

/**
 * A session as a store keeps it: the serialized data, when it was last used, and a version that
 * each write of the data increments, so that a save can be made conditional on what was loaded.
 *
 * @param id the session's id
 * @param data the data, as the {@link io.github.webpysession.serializer.SessionSerializer} wrote it
 * @param lastAccessed when the session was last read or written, as the store recorded it
 * @param version incremented by every successful {@link SessionStore#update}
 */
public record StoredSession(String id, byte[] data, Instant lastAccessed, long version) {

	private static final int MAGIC = 0x57505331; // "WPS1"

	/** How many bytes of {@link #toBytes()} come before the data: enough to read the version and last access. */
	public static final int HEADER_BYTES = Integer.BYTES + 2 * Long.BYTES;

	/**
	 * This session in the binary form that stores keeping bytes share: a magic number, the
	 * version, the last access in epoch milliseconds, then the data.
	 */
	public byte[] toBytes() {
		return ByteBuffer.allocate(HEADER_BYTES + this.data.length)
			.putInt(MAGIC)
			.putLong(this.version)
			.putLong(this.lastAccessed.toEpochMilli())
			.put(this.data)
			.array();
	}

	/**
	 * Reads what {@link #toBytes()} wrote.
	 * @throws UnreadableSessionException if the bytes are not of that form
	 */
	public static StoredSession fromBytes(String id, byte[] bytes) {
		if (bytes.length < HEADER_BYTES) {
			throw new UnreadableSessionException("stored session is truncated (" + bytes.length + " bytes)");
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		if (buffer.getInt() != MAGIC) {
			throw new UnreadableSessionException("stored session does not start with the expected header");
		}
		long version = buffer.getLong();
		Instant lastAccessed = Instant.ofEpochMilli(buffer.getLong());
		byte[] data = new byte[buffer.remaining()];
		buffer.get(data);
		return new StoredSession(id, data, lastAccessed, version);
	}

	/**
	 * The last access that {@link #toBytes()} wrote, read from its first {@link #HEADER_BYTES}.
	 * @throws UnreadableSessionException if they are not of that form
	 */
	public static Instant lastAccessedOf(byte[] bytes) {
		return Instant.ofEpochMilli(header(bytes).getLong(Integer.BYTES + Long.BYTES));
	}

	/**
	 * The version that {@link #toBytes()} wrote, read from its first {@link #HEADER_BYTES}.
	 * @throws UnreadableSessionException if they are not of that form
	 */
	public static long versionOf(byte[] bytes) {
		return header(bytes).getLong(Integer.BYTES);
	}

	private static ByteBuffer header(byte[] bytes) {
		if (bytes.length < HEADER_BYTES || ByteBuffer.wrap(bytes).getInt() != MAGIC) {
			throw new UnreadableSessionException("stored session has no readable header");
		}
		return ByteBuffer.wrap(bytes);
	}

}
