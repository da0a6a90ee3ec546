package io.github.webpysession.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.github.webpysession.serializer.UnreadableSessionException;
import org.jspecify.annotations.Nullable;

/**
 * A session as a store keeps it: the serialized data, when it was last used, and a
 * version that each write of the data increments, so that a save can be made conditional
 * on what was loaded.
 *
 * @param id the session's id
 * @param data the data, as the
 * {@link io.github.webpysession.serializer.SessionSerializer} wrote it
 * @param lastAccessed when the session was last read or written, as the store recorded it
 * @param version incremented by every successful {@link SessionStore#update}
 * @param principalName the name the session is indexed under, or null
 */
public record StoredSession(String id, byte[] data, Instant lastAccessed, long version,
		@Nullable String principalName) {

	private static final int MAGIC = 0x57505331; // "WPS1": no principal name

	private static final int MAGIC_WITH_PRINCIPAL = 0x57505332; // "WPS2"

	/** A session not indexed under any principal. */
	public StoredSession(String id, byte[] data, Instant lastAccessed, long version) {
		this(id, data, lastAccessed, version, null);
	}

	/**
	 * This session as the store holds it at {@code version}, accessed at
	 * {@code lastAccessed}.
	 */
	public StoredSession with(Instant lastAccessed, long version) {
		return new StoredSession(this.id, this.data, lastAccessed, version, this.principalName);
	}

	/**
	 * How many bytes of {@link #toBytes()} come before the data: enough to read the
	 * version and last access.
	 */
	public static final int HEADER_BYTES = Integer.BYTES + 2 * Long.BYTES;

	/**
	 * This session in the binary form that stores keeping bytes share: a magic number,
	 * the version, the last access in epoch milliseconds, the principal name (its UTF-8
	 * length, -1 for none, and its bytes), then the data.
	 */
	public byte[] toBytes() {
		byte[] principal = (this.principalName != null) ? this.principalName.getBytes(StandardCharsets.UTF_8)
				: new byte[0];
		return ByteBuffer.allocate(HEADER_BYTES + Integer.BYTES + principal.length + this.data.length)
			.putInt(MAGIC_WITH_PRINCIPAL)
			.putLong(this.version)
			.putLong(this.lastAccessed.toEpochMilli())
			.putInt((this.principalName != null) ? principal.length : -1)
			.put(principal)
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
		int magic = buffer.getInt();
		if (magic != MAGIC && magic != MAGIC_WITH_PRINCIPAL) {
			throw new UnreadableSessionException("stored session does not start with the expected header");
		}
		long version = buffer.getLong();
		Instant lastAccessed = Instant.ofEpochMilli(buffer.getLong());
		String principalName = (magic == MAGIC_WITH_PRINCIPAL) ? principalName(buffer) : null;
		byte[] data = new byte[buffer.remaining()];
		buffer.get(data);
		return new StoredSession(id, data, lastAccessed, version, principalName);
	}

	/**
	 * The session that {@code prefix}, the first bytes of what {@link #toBytes()} wrote,
	 * starts, without its data: enough for a compare-and-set, read without the data.
	 * @return the session with empty data; null if the prefix ends before the principal
	 * name does
	 * @throws UnreadableSessionException if the bytes are not of that form
	 */
	public static @Nullable StoredSession headOf(String id, byte[] prefix) {
		ByteBuffer buffer = header(prefix);
		int magic = buffer.getInt();
		long version = buffer.getLong();
		Instant lastAccessed = Instant.ofEpochMilli(buffer.getLong());
		if (magic == MAGIC) {
			return new StoredSession(id, new byte[0], lastAccessed, version, null);
		}
		if (buffer.remaining() < Integer.BYTES
				|| buffer.getInt(buffer.position()) > buffer.remaining() - Integer.BYTES) {
			return null;
		}
		return new StoredSession(id, new byte[0], lastAccessed, version, principalName(buffer));
	}

	private static @Nullable String principalName(ByteBuffer buffer) {
		int length = (buffer.remaining() >= Integer.BYTES) ? buffer.getInt() : -2;
		if (length == -1) {
			return null;
		}
		if (length < 0 || length > buffer.remaining()) {
			throw new UnreadableSessionException("stored session has a principal name of impossible length " + length);
		}
		byte[] name = new byte[length];
		buffer.get(name);
		return new String(name, StandardCharsets.UTF_8);
	}

	/**
	 * The last access that {@link #toBytes()} wrote, read from its first
	 * {@link #HEADER_BYTES}.
	 * @throws UnreadableSessionException if they are not of that form
	 */
	public static Instant lastAccessedOf(byte[] bytes) {
		return Instant.ofEpochMilli(header(bytes).getLong(Integer.BYTES + Long.BYTES));
	}

	/**
	 * The version that {@link #toBytes()} wrote, read from its first
	 * {@link #HEADER_BYTES}.
	 * @throws UnreadableSessionException if they are not of that form
	 */
	public static long versionOf(byte[] bytes) {
		return header(bytes).getLong(Integer.BYTES);
	}

	private static ByteBuffer header(byte[] bytes) {
		int magic = (bytes.length >= HEADER_BYTES) ? ByteBuffer.wrap(bytes).getInt() : 0;
		if (magic != MAGIC && magic != MAGIC_WITH_PRINCIPAL) {
			throw new UnreadableSessionException("stored session has no readable header");
		}
		return ByteBuffer.wrap(bytes);
	}

}
