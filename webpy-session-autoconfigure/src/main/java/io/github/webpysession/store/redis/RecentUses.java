package io.github.webpysession.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last access of each session that this instance has recently written or seen in
 * Redis, so that a read that it knows needs no touch is a bare {@code GET}. Only an
 * optimization, and a safe one: the last access in Redis only moves forward, so a
 * remembered one is never later than Redis's, and a read that finds no recent one asks a
 * script that touches only where due. Bounded: when full, it forgets everything.
 */
final class RecentUses {

	static final int MAX_ENTRIES = 50_000;

	private final Map<String, Long> lastAccess = new ConcurrentHashMap<>();

	/**
	 * Whether session {@code id} is known to have been used less than {@code touchAfter}
	 * before {@code now}.
	 */
	boolean isRecent(String id, Instant now, Duration touchAfter) {
		Long known = this.lastAccess.get(id);
		return known != null && now.toEpochMilli() - known <= touchAfter.toMillis();
	}

	/** Whether the use of session {@code id} at {@code now} is recorded already. */
	boolean isRecorded(String id, Instant now) {
		Long known = this.lastAccess.get(id);
		return known != null && known >= now.toEpochMilli();
	}

	/** Session {@code id} is stored with its last access at {@code lastAccess}. */
	void record(String id, Instant lastAccess) {
		if (this.lastAccess.size() >= MAX_ENTRIES) {
			this.lastAccess.clear();
		}
		this.lastAccess.merge(id, lastAccess.toEpochMilli(), Math::max);
	}

	void forget(String id) {
		this.lastAccess.remove(id);
	}

}
