package io.github.webpysession.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.Assert;

/**
 * Sessions in Redis, through Spring Boot's connection: one string key per session (see
 * {@link RedisKeys}), holding {@link StoredSession#toBytes()}, so that every instance of
 * an application sees the same sessions.
 * <ul>
 * <li><strong>One command per operation.</strong> A read is a {@code GET}; a read that is
 * due to record the access ({@link #loadForUse}) is one {@code EVALSHA} that reads and
 * touches. A create is a {@code SET NX PX}, an update one {@code EVALSHA} compare-and-set
 * on the version, a delete a {@code GETDEL}. The principal index costs commands more only
 * where a write changes the session's principal.</li>
 * <li><strong>Expiry is Redis's.</strong> Every write and touch sets the key to expire
 * after {@code session.timeout} of idleness ({@code PEXPIRE}), never past
 * {@code session.max-lifetime} after the key was created, where it is set: a key of the
 * session's hash slot expires then, and the scripts cap the session's expiry by it. So
 * there is no cleanup scan of sessions: {@link #deleteAccessedBefore} only prunes index
 * entries of sessions that Redis expired. A session past its timeout by the application's
 * clock, but not yet by Redis's, is still judged expired by the caller, as with every
 * store.</li>
 * <li><strong>Principal index</strong> ({@link RedisPrincipalIndex}). A Redis set per
 * principal name holds the ids of its sessions. It is written beside the session, not in
 * the same script, since in a Redis Cluster it is in another hash slot: it is added to
 * after a write that names the principal, and removed from after one that no longer does.
 * {@link #findByPrincipalName} reads every session it lists and answers only those that
 * name the principal still, removing the entries of sessions that are gone: no
 * {@code KEYS}, no {@code SCAN}.</li>
 * </ul>
 */
public final class RedisSessionStore implements SessionStore {

	private static final Log logger = LogFactory.getLog(RedisSessionStore.class);

	private final RedisConnections connections;

	private final RedisKeys keys;

	private final Duration timeout;

	private final @Nullable Duration maxLifetime;

	private final RedisPrincipalIndex index;

	private final RecentUses recent = new RecentUses();

	/**
	 * A store on {@code factory}'s Redis; nothing is asked of Redis here, so an
	 * application whose Redis is down still starts.
	 */
	public RedisSessionStore(RedisConnectionFactory factory, Settings settings) {
		this.keys = new RedisKeys(settings.keyPrefix());
		this.index = new RedisPrincipalIndex(this.keys);
		this.timeout = settings.timeout();
		this.maxLifetime = settings.maxLifetime();
		this.connections = new RedisConnections(factory, "Redis session store (keys " + settings.keyPrefix() + "*)");
	}

	/**
	 * @param keyPrefix what every key of the store starts with
	 * ({@code session.redis.key-prefix})
	 * @param timeout the idle time after which Redis removes a session
	 * ({@code session.timeout})
	 * @param maxLifetime the time after its creation past which Redis keeps no session
	 * ({@code session.max-lifetime}), or null for none
	 */
	public record Settings(String keyPrefix, Duration timeout, @Nullable Duration maxLifetime) {

		public Settings {
			Assert.hasLength(keyPrefix, "session.redis.key-prefix must not be empty");
			Assert.isTrue(timeout.toMillis() > 0, "session.timeout must be at least a millisecond");
			Assert.isTrue(maxLifetime == null || maxLifetime.toMillis() > 0,
					"session.max-lifetime must be at least a millisecond");
		}

		/** Settings without a max-lifetime. */
		public Settings(String keyPrefix, Duration timeout) {
			this(keyPrefix, timeout, null);
		}

	}

	/** The connection factory the store runs on. */
	public RedisConnectionFactory connectionFactory() {
		return this.connections.factory();
	}

	@Nullable Duration maxLifetime() {
		return this.maxLifetime;
	}

	RedisKeys keys() {
		return this.keys;
	}

	RedisConnections connections() {
		return this.connections;
	}

	@Override
	public @Nullable StoredSession load(String id) {
		byte[] value = this.connections.execute("cannot load a session",
				(connection) -> connection.stringCommands().get(this.keys.session(id)));
		return seen(id, value);
	}

	/**
	 * A {@code GET} where this instance knows the last access to be recent, else a script
	 * that reads the session and records the use when it is due, so that the touch that
	 * the caller then sends ({@link #touch}) is already done.
	 */
	@Override
	public @Nullable StoredSession loadForUse(String id, Instant now, Duration touchAfter, Duration timeout) {
		if (this.recent.isRecent(id, now, touchAfter)) {
			return load(id);
		}
		long dueBefore = now.minus(touchAfter).toEpochMilli();
		long expiredUpTo = now.minus(timeout).toEpochMilli();
		byte[] value = this.connections.execute("cannot load a session",
				(connection) -> RedisScripts.LOAD_FOR_USE.run(connection, ReturnType.VALUE, sessionKeys(id), time(now),
						number(dueBefore), number(expiredUpTo), ttl()));
		StoredSession stored = seen(id, value);
		if (stored != null) {
			long lastAccess = stored.lastAccessed().toEpochMilli();
			if (lastAccess < dueBefore && lastAccess > expiredUpTo) {
				this.recent.record(id, now);
			}
		}
		return stored;
	}

	/** A session indexed under no principal name. */
	@Override
	public boolean create(String id, byte[] data, Instant now) {
		return create(id, data, null, now);
	}

	@Override
	public boolean create(String id, byte[] data, @Nullable String principalName, Instant now) {
		byte[] value = new StoredSession(id, data, now, 0, principalName).toBytes();
		boolean created = this.connections.execute("cannot create a session", (connection) -> {
			boolean set = set(connection, id, value);
			if (set && principalName != null) {
				this.index.add(connection, principalName, id);
			}
			return set;
		});
		if (created) {
			this.recent.record(id, now);
		}
		return created;
	}

	/**
	 * A {@code SET NX PX}, or where a max-lifetime is set, a script that also sets the
	 * lifetime key.
	 */
	private boolean set(RedisConnection connection, String id, byte[] value) {
		if (this.maxLifetime == null) {
			return Boolean.TRUE.equals(connection.stringCommands()
				.set(this.keys.session(id), value, Expiration.milliseconds(this.timeout.toMillis()),
						SetOption.SET_IF_ABSENT));
		}
		Long set = RedisScripts.CREATE.run(connection, ReturnType.INTEGER, sessionKeys(id), value, ttl(),
				number(this.maxLifetime.toMillis()));
		return set != null && set == 1;
	}

	/** An update that leaves the session indexed under no principal name. */
	@Override
	public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
		return update(id, data, null, now, expectedVersion);
	}

	@Override
	public boolean update(String id, byte[] data, @Nullable String principalName, Instant now, long expectedVersion) {
		byte[] value = new StoredSession(id, data, now, expectedVersion + 1, principalName).toBytes();
		boolean updated = this.connections.execute("cannot update a session", (connection) -> {
			byte[] previous = RedisScripts.UPDATE.run(connection, ReturnType.VALUE, sessionKeys(id),
					ByteBuffer.allocate(Long.BYTES).putLong(expectedVersion).array(), value, ttl());
			if (previous == null) {
				return false;
			}
			String previousName = principalName(previous);
			if (!Objects.equals(previousName, principalName)) {
				this.index.move(connection, id, previousName, principalName);
			}
			return true;
		});
		if (updated) {
			this.recent.record(id, now);
		}
		return updated;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * {@code SMEMBERS} of the principal's set, then a {@code GET} of each session it
	 * lists; an entry whose session is gone is removed, one whose session names another
	 * principal is skipped (removing it could race with a write naming this one again).
	 */
	@Override
	public List<StoredSession> findByPrincipalName(String principalName) {
		return this.connections.execute("cannot find the sessions of a principal", (connection) -> {
			List<StoredSession> found = new ArrayList<>();
			for (String id : this.index.ids(connection, principalName)) {
				StoredSession stored = null;
				try {
					stored = seen(id, connection.stringCommands().get(this.keys.session(id)));
				}
				catch (UnreadableSessionException ex) {
					logger.debug("Skipping unreadable session " + SessionKeys.abbreviate(id) + ": " + ex.getMessage());
				}
				if (stored != null && principalName.equals(stored.principalName())) {
					found.add(stored);
				}
				else if (stored == null) {
					this.index.remove(connection, principalName, id);
				}
			}
			return found;
		});
	}

	/** One script that moves the last access, and the expiry with it. */
	@Override
	public void touch(String id, Instant now) {
		if (this.recent.isRecorded(id, now)) {
			return;
		}
		Long touched = this.connections.execute("cannot record a use of a session", (connection) -> RedisScripts.TOUCH
			.run(connection, ReturnType.INTEGER, sessionKeys(id), time(now), ttl()));
		if (touched != null && touched == 1) {
			this.recent.record(id, now);
		}
	}

	/**
	 * A {@code GETDEL} (and a {@code DEL} of the lifetime key where a max-lifetime is
	 * set), and a removal from the index where the session had a principal.
	 */
	@Override
	public void delete(String id) {
		this.recent.forget(id);
		this.connections.execute("cannot delete a session", (connection) -> {
			byte[] value = connection.stringCommands().getDel(this.keys.session(id));
			if (this.maxLifetime != null) {
				connection.keyCommands().del(this.keys.lifetime(id));
			}
			String principalName = RedisPrincipalIndex.principalNameIn(id, value);
			if (principalName != null) {
				this.index.remove(connection, principalName, id);
			}
			return null;
		});
	}

	/**
	 * Redis removes expired sessions itself, so this removes none and answers 0. It
	 * prunes the principal index instead ({@link RedisPrincipalIndex#prune}).
	 */
	@Override
	public int deleteAccessedBefore(Instant cutoff) {
		int pruned = this.connections.execute("cannot prune the principal index", this.index::prune);
		if (pruned > 0) {
			logger.debug(this + ": removed " + pruned + " principal index entries of expired sessions");
		}
		return 0;
	}

	@Override
	public String kind() {
		return "redis";
	}

	private @Nullable StoredSession seen(String id, byte @Nullable [] value) {
		if (value == null) {
			return null;
		}
		StoredSession stored = StoredSession.fromBytes(id, value);
		this.recent.record(id, stored.lastAccessed());
		return stored;
	}

	/**
	 * The principal name that {@link RedisScripts#UPDATE} answers: its length, then it.
	 */
	private static @Nullable String principalName(byte[] lengthAndName) {
		ByteBuffer buffer = ByteBuffer.wrap(lengthAndName);
		int length = (lengthAndName.length >= Integer.BYTES) ? buffer.getInt() : -1;
		if (length < 0 || length > buffer.remaining()) {
			return null;
		}
		return new String(lengthAndName, Integer.BYTES, length, StandardCharsets.UTF_8);
	}

	/**
	 * The keys the scripts of session {@code id} use: the session, and its lifetime key
	 * where a max-lifetime is set.
	 */
	private byte[][] sessionKeys(String id) {
		return (this.maxLifetime != null) ? new byte[][] { this.keys.session(id), this.keys.lifetime(id) }
				: new byte[][] { this.keys.session(id) };
	}

	private byte[] ttl() {
		return number(this.timeout.toMillis());
	}

	private static byte[] time(Instant instant) {
		return ByteBuffer.allocate(Long.BYTES).putLong(instant.toEpochMilli()).array();
	}

	private static byte[] number(long value) {
		return RedisKeys.bytes(Long.toString(value));
	}

	@Override
	public String toString() {
		return this.connections.toString();
	}

}
