package io.github.webpysession.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The Lua scripts of the Redis store and its locks, each run by {@code EVALSHA} on the
 * SHA-1 computed here once, and by {@code EVAL} (which makes Redis cache it again) only
 * where Redis answers {@code NOSCRIPT}: after a restart or a {@code SCRIPT FLUSH}.
 * <p>
 * The scripts read the value that
 * {@link io.github.webpysession.store.StoredSession#toBytes()} writes: bytes 5 to 12 (Lua
 * counts from 1) are the version, 13 to 20 the last access in epoch milliseconds, 21 to
 * 24 the length of the principal name (-1 for none). Versions are compared as bytes;
 * times are read into Lua numbers, exact up to 2^53 ms.
 */
final class RedisScripts {

	/**
	 * The expiry that a write or touch sets, as Lua: ARGV[i], the idle timeout in ms,
	 * capped by the time left to KEYS[2], the key that expires at the session's
	 * {@code max-lifetime}, where there is one (a session stored before max-lifetime was
	 * set has none, and its lifetime is left to the lifecycle).
	 */
	private static final String TTL = """
			local function ttl(i)
				local t = tonumber(ARGV[i])
				if KEYS[2] then
					local left = redis.call('PTTL', KEYS[2])
					if left > 0 and left < t then t = left end
				end
				return t
			end
			""";

	/**
	 * A create: KEYS[1] the session, KEYS[2] its lifetime key, ARGV[1] the value, ARGV[2]
	 * the idle timeout and ARGV[3] the max-lifetime, both in ms. Answers 1, or 0 (and
	 * changes nothing) if the session exists.
	 */
	static final Script CREATE = new Script("""
			local t = math.min(tonumber(ARGV[2]), tonumber(ARGV[3]))
			if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', t) then return 0 end
			redis.call('SET', KEYS[2], '', 'PX', ARGV[3])
			return 1
			""");

	/**
	 * Compare-and-set on the version: KEYS[1] the session (and KEYS[2] its lifetime key,
	 * where a max-lifetime is set), ARGV[1] the expected version (8 bytes), ARGV[2] the
	 * new value, ARGV[3] the idle timeout in ms. Answers nil if the version differs or
	 * the session is gone, else the previous principal name with its length (4 bytes,
	 * then the name), so that the store can move the index entry.
	 */
	static final Script UPDATE = new Script(TTL + """
			local v = redis.call('GET', KEYS[1])
			if not v or string.sub(v, 5, 12) ~= ARGV[1] then return false end
			redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl(3))
			local b1, b2, b3, b4 = string.byte(v, 21, 24)
			if not b4 or b1 >= 128 then return string.sub(v, 21, 24) end
			return string.sub(v, 21, 24 + ((b1 * 256 + b2) * 256 + b3) * 256 + b4)
			""");

	/**
	 * A touch: KEYS[1] the session (and KEYS[2] its lifetime key), ARGV[1] the new last
	 * access (8 bytes), ARGV[2] the idle timeout in ms. Answers 1, or 0 if the session is
	 * gone (and stays gone).
	 */
	static final Script TOUCH = new Script(TTL + """
			if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
			redis.call('SETRANGE', KEYS[1], 12, ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ttl(2))
			return 1
			""");

	/**
	 * A read that touches when the touch is due: KEYS[1] the session (and KEYS[2] its
	 * lifetime key), ARGV[1] the new last access (8 bytes), ARGV[2] the access before
	 * which a touch is due, ARGV[3] the access at or before which the session has expired
	 * and is not touched (both epoch ms), ARGV[4] the idle timeout in ms. Answers the
	 * value as it was read, or nil.
	 */
	static final Script LOAD_FOR_USE = new Script(TTL + """
			local v = redis.call('GET', KEYS[1])
			if not v then return false end
			local a = 0
			for i = 13, 20 do a = a * 256 + (string.byte(v, i) or 0) end
			if a < tonumber(ARGV[2]) and a > tonumber(ARGV[3]) then
				redis.call('SETRANGE', KEYS[1], 12, ARGV[1])
				redis.call('PEXPIRE', KEYS[1], ttl(4))
			end
			return v
			""");

	/** Releases a lock: KEYS[1] the lock, ARGV[1] the owner's token. Answers 1 or 0. */
	static final Script UNLOCK = new Script("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
			return 0
			""");

	/**
	 * Extends a held lock: KEYS[1] the lock, ARGV[1] the owner's token, ARGV[2] the lease
	 * in ms. Answers 1, or 0 where the lock is no longer this owner's.
	 */
	static final Script RENEW = new Script("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
			return 0
			""");

	private RedisScripts() {
	}

	/** A script and its SHA-1, as {@code EVALSHA} names it. */
	record Script(byte[] body, String sha) {

		Script(String body) {
			this(body.getBytes(StandardCharsets.UTF_8), sha1(body));
		}

		/**
		 * Runs the script on {@code connection} with one key: {@code EVALSHA}, and
		 * {@code EVAL} if Redis does not know it.
		 */
		<T> @Nullable T run(RedisConnection connection, ReturnType returnType, byte[] key, byte[]... args) {
			return run(connection, returnType, new byte[][] { key }, args);
		}

		/** Runs the script on {@code connection} with {@code keys}. */
		<T> @Nullable T run(RedisConnection connection, ReturnType returnType, byte[][] keys, byte[]... args) {
			byte[][] keysAndArgs = new byte[keys.length + args.length][];
			System.arraycopy(keys, 0, keysAndArgs, 0, keys.length);
			System.arraycopy(args, 0, keysAndArgs, keys.length, args.length);
			try {
				return connection.scriptingCommands().evalSha(this.sha, returnType, keys.length, keysAndArgs);
			}
			catch (DataAccessException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				return connection.scriptingCommands().eval(this.body, returnType, keys.length, keysAndArgs);
			}
		}

		private static boolean isNoScript(Throwable ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
					return true;
				}
			}
			return false;
		}

		private static String sha1(String body) {
			try {
				return HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-1 is missing from this JVM", ex);
			}
		}

	}

}
