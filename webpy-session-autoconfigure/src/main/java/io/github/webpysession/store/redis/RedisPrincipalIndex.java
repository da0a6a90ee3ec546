package io.github.webpysession.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.StoredSession;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The Redis store's index of sessions by principal name: a Redis set per name (see
 * {@link RedisKeys#index}) holding the ids of its sessions. In a Redis Cluster it is in
 * another hash slot than the sessions, so it is written beside them, not in their
 * scripts, and may list a session that is gone: readers remove such entries, and
 * {@link #prune} removes those of sessions nobody looked up since Redis expired them.
 */
final class RedisPrincipalIndex {

	private final RedisKeys keys;

	RedisPrincipalIndex(RedisKeys keys) {
		this.keys = keys;
	}

	/** Lists session {@code id} under {@code name}: an {@code SADD}. */
	void add(RedisConnection connection, String name, String id) {
		connection.setCommands().sAdd(this.keys.index(name), RedisKeys.bytes(id));
	}

	/**
	 * Moves session {@code id} from one name to another, either of them null for none.
	 * <p>
	 * The move follows the write that changed the name, outside its script, so a later
	 * write may have named {@code from} again, and listed the session under it, before
	 * this removal lands. So the session is read after the removal and listed under
	 * {@code from} again if it names it: a session is never missing from its name's set,
	 * though it may linger in a set it left, which readers skip.
	 */
	void move(RedisConnection connection, String id, @Nullable String from, @Nullable String to) {
		if (to != null) {
			add(connection, to, id);
		}
		if (from != null) {
			remove(connection, from, id);
			if (from.equals(principalName(connection, id))) {
				add(connection, from, id);
			}
		}
	}

	/**
	 * The principal name session {@code id} has now: null if none, gone or unreadable.
	 */
	private @Nullable String principalName(RedisConnection connection, String id) {
		return principalNameIn(id, connection.stringCommands().get(this.keys.session(id)));
	}

	/**
	 * The principal name in {@code value}, what session {@code id}'s key held: null if
	 * none, gone or unreadable.
	 */
	static @Nullable String principalNameIn(String id, byte @Nullable [] value) {
		try {
			return (value != null) ? StoredSession.fromBytes(id, value).principalName() : null;
		}
		catch (UnreadableSessionException ex) {
			return null;
		}
	}

	/** Removes session {@code id} from under {@code name}: an {@code SREM}. */
	void remove(RedisConnection connection, String name, String id) {
		connection.setCommands().sRem(this.keys.index(name), RedisKeys.bytes(id));
	}

	/** The ids listed under {@code name}: an {@code SMEMBERS}. */
	List<String> ids(RedisConnection connection, String name) {
		Set<byte[]> members = connection.setCommands().sMembers(this.keys.index(name));
		List<String> ids = new ArrayList<>();
		for (byte[] member : (members != null) ? members : Set.<byte[]>of()) {
			ids.add(new String(member, StandardCharsets.UTF_8));
		}
		return ids;
	}

	/**
	 * Removes the entries of sessions that are gone, off the request path: a {@code SCAN}
	 * of the index keys only, then an {@code EXISTS} of each session they list.
	 * @return how many entries it removed
	 */
	int prune(RedisConnection connection) {
		int pruned = 0;
		ScanOptions options = ScanOptions.scanOptions().match(this.keys.indexPattern()).count(1000).build();
		try (Cursor<byte[]> indexes = connection.keyCommands().scan(options)) {
			while (indexes.hasNext()) {
				byte[] index = indexes.next();
				Set<byte[]> members = connection.setCommands().sMembers(index);
				for (byte[] member : (members != null) ? members : Set.<byte[]>of()) {
					String id = new String(member, StandardCharsets.UTF_8);
					if (!Boolean.TRUE.equals(connection.keyCommands().exists(this.keys.session(id)))) {
						connection.setCommands().sRem(index, member);
						pruned++;
					}
				}
			}
		}
		return pruned;
	}

}
