package io.github.webpysession.serializer;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Format 3 of {@link JavaSessionSerializer}'s data: the session's own fields and every
 * attribute whose value {@link CompactValueCodec} writes in its compact form; the other
 * attributes together in one Java-serialized map at the end, so that what they share
 * stays shared. A session of strings, numbers, dates and collections of them is read
 * without Java serialization at all.
 *
 * <pre>
 * 'W' 'S' 3 | created (epoch ms, 8 bytes) | ip | principal name
 *           | count | (key, value) * count | length | Java-serialized HashMap (length bytes, or none)
 * </pre>
 */
final class CompactSessionFormat {

	static final int FORMAT = 3;

	private static final byte[] MAGIC = { 'W', 'S', FORMAT };

	/** Attribute values are at this level, as the depth limit counts. */
	private static final int VALUE_DEPTH = 2;

	/** How Java serialization writes and reads the attributes that are not compact. */
	interface JavaAttributes {

		byte[] write(Map<String, Object> attributes);

		Map<String, Object> read(byte[] bytes);

	}

	private CompactSessionFormat() {
	}

	/** Whether {@code bytes} are in this format (or claim to be): old data never is. */
	static boolean claims(byte[] bytes) {
		return bytes.length >= 2 && bytes[0] == MAGIC[0] && bytes[1] == MAGIC[1];
	}

	static byte[] write(SessionData data, JavaAttributes java) {
		Map<String, Object> attributes = data.attributes();
		Set<String> compact = allLeaves(attributes) ? attributes.keySet() : compactKeys(attributes);
		Map<String, Object> others = null;
		CompactBytes.Writer out = new CompactBytes.Writer(64);
		out.u8(MAGIC[0]).u8(MAGIC[1]).u8(MAGIC[2]).i64(data.created().toEpochMilli());
		out.nullableString(data.ip());
		out.nullableString(data.principalName());
		out.varint(compact.size());
		for (Map.Entry<String, Object> entry : attributes.entrySet()) {
			if (compact.contains(entry.getKey())) {
				out.string(entry.getKey());
				CompactValueCodec.write(out, entry.getValue());
			}
			else {
				if (others == null) {
					others = new HashMap<>();
				}
				others.put(entry.getKey(), entry.getValue());
			}
		}
		if (others == null) {
			out.varint(0);
		}
		else {
			out.bytes(java.write(others));
		}
		return out.toByteArray();
	}

	/**
	 * Whether every value holds no other value: the usual session, written without
	 * tracking which collections are shared.
	 */
	private static boolean allLeaves(Map<String, Object> attributes) {
		for (Object value : attributes.values()) {
			if (!CompactValueCodec.isLeaf(value)) {
				return false;
			}
		}
		return true;
	}

	/** The keys whose values are compact and share no collection with another. */
	private static Set<String> compactKeys(Map<String, Object> attributes) {
		Map<Object, String> owners = new IdentityHashMap<>();
		Set<String> shared = new HashSet<>();
		Set<String> compact = new HashSet<>();
		for (Map.Entry<String, Object> entry : attributes.entrySet()) {
			if (CompactValueCodec.isCompact(entry.getValue(), VALUE_DEPTH, owners, entry.getKey(), shared)) {
				compact.add(entry.getKey());
			}
		}
		compact.removeAll(shared);
		return compact;
	}

	/**
	 * @throws UnreadableSessionException if the bytes are not a session of this format
	 * @throws RuntimeException if a value in them is out of its range
	 */
	static SessionData read(byte[] bytes, JavaAttributes java) {
		if (bytes.length < MAGIC.length || bytes[2] != FORMAT) {
			throw new UnreadableSessionException("unknown session data format "
					+ ((bytes.length < MAGIC.length) ? "(cut short)" : "W S " + bytes[2]));
		}
		CompactBytes.Reader in = new CompactBytes.Reader(bytes, MAGIC.length);
		Instant created = Instant.ofEpochMilli(in.i64());
		String ip = in.nullableString("the client address");
		String principalName = in.nullableString("the principal name");
		int count = in.count(2);
		Map<String, Object> attributes = new HashMap<>(CompactValueCodec.capacity(count));
		for (int i = 0; i < count; i++) {
			String key = in.string("an attribute key");
			Object value = CompactValueCodec.read(in, VALUE_DEPTH);
			if (value == null) {
				throw new UnreadableSessionException("session data holds a null value under an attribute key");
			}
			attributes.put(key, value);
		}
		int javaLength = in.count(1);
		if (javaLength > 0) {
			int start = bytes.length - in.remaining();
			attributes.putAll(java.read(Arrays.copyOfRange(bytes, start, start + javaLength)));
			in = new CompactBytes.Reader(bytes, start + javaLength);
		}
		if (in.remaining() != 0) {
			throw new UnreadableSessionException(
					"session data has " + in.remaining() + " bytes after its end, as no session written has");
		}
		return new SessionData(created, ip, principalName, attributes);
	}

}
