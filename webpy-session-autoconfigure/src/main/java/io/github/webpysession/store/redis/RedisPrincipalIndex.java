package io.github.webpysession.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
	 */
	void move(RedisConnection connection, String id, @Nullable String from, @Nullable String to) {
		if (to != null) {
			add(connection, to, id);
		}
		if (from != null) {
			remove(connection, from, id);
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
