package io.github.webpysession.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The keys of the Redis store, all under {@code session.redis.key-prefix}: a session
 * {@code <prefix>{<id>}}, its lock {@code <prefix>{<id>}:lock} and, where
 * {@code session.max-lifetime} is set, {@code <prefix>{<id>}:lifetime}, which expires
 * when the session's lifetime ends and caps the session key's expiry; the id is the
 * digest of the session id that the lifecycle stores under (never the id itself); the
 * index of a principal {@code <prefix>principal:{<SHA-256 of the name>}}. The braces are
 * Redis Cluster hash tags: every key of one session is in one hash slot, so a script may
 * use them together.
 *
 * @param prefix what every key starts with
 */
record RedisKeys(String prefix) {

	private static final String PRINCIPAL = "principal:";

	byte[] session(String id) {
		return bytes(this.prefix + "{" + id + "}");
	}

	byte[] lock(String id) {
		return bytes(this.prefix + "{" + id + "}:lock");
	}

	byte[] lifetime(String id) {
		return bytes(this.prefix + "{" + id + "}:lifetime");
	}

	byte[] index(String principalName) {
		return bytes(this.prefix + PRINCIPAL + "{" + sha256(principalName) + "}");
	}

	/**
	 * A {@code SCAN} pattern of every index key, the prefix's glob characters escaped.
	 */
	String indexPattern() {
		return this.prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + PRINCIPAL + "*";
	}

	/**
	 * The session id whose data key is {@code key}, or null if {@code key} is not one (an
	 * index, a lock, another application's key).
	 */
	@Nullable String sessionIdOf(String key) {
		if (!key.startsWith(this.prefix + "{") || !key.endsWith("}")) {
			return null;
		}
		String id = key.substring(this.prefix.length() + 1, key.length() - 1);
		return (id.indexOf('}') < 0) ? id : null;
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String sha256(String name) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
