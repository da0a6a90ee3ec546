package io.github.webpysession.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.webpysession.event.SessionCreatedEvent;
import io.github.webpysession.event.SessionKilledEvent;
import io.github.webpysession.event.SessionRegeneratedEvent;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The save half of the {@link SessionLifecycle}: how what a request changed reaches the
 * store. A create under a fresh id; an update that is a compare-and-set on the version,
 * merged onto what concurrent requests stored meanwhile and retried with a randomized
 * backoff until {@link #CONFLICT_DEADLINE}; a touch; a regenerate that moves the data to
 * the new id and leaves a {@link MovedSession} marker under the old one; a kill that
 * follows the session wherever a racing regenerate moved it; and, at a login, the limit
 * of sessions per principal.
 */
final class SessionWriter {

	/**
	 * How long concurrent writes of one session are retried before the request answers
	 * 503.
	 */
	static final Duration CONFLICT_DEADLINE = Duration.ofSeconds(10);

	/**
	 * How long the old id of a regenerated session still leads requests already using it
	 * to the new one.
	 */
	static final Duration MOVE_GRACE = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(SessionWriter.class);

	private static final int MAX_NEW_IDS = 20;

	private static final int MAX_MOVES_FOLLOWED = 8;

	private final SessionStore store;

	private final SessionStorage storage;

	private final SessionCookie cookie;

	private final SessionPolicy policy;

	private final SessionHooks hooks;

	/** {@link SessionPolicy#touchAfter()}, computed once. */
	private final Duration touchAfter;

	SessionWriter(SessionStorage storage, SessionCookie cookie, SessionPolicy policy, SessionHooks hooks) {
		this.store = storage.store();
		this.storage = storage;
		this.cookie = cookie;
		this.policy = policy;
		this.hooks = hooks;
		this.touchAfter = policy.touchAfter();
	}

	/** Writes what the request changed in its session to the store, if anything. */
	void save(RequestSession session) {
		boolean newPrincipal = session.state().hasNewPrincipal();
		store(session);
		if (newPrincipal && !session.state().isKilled()) {
			limitSessionsOf(session);
		}
	}

	/**
	 * With {@code session.max-sessions-per-principal}, at a login: kills that principal's
	 * least recently used other sessions beyond the limit, across every instance sharing
	 * the store.
	 */
	private void limitSessionsOf(RequestSession session) {
		Integer max = this.policy.maxSessionsPerPrincipal();
		String principalName = session.state().principalName();
		if (max == null || principalName == null) {
			return;
		}
		List<StoredSession> indexed;
		try {
			indexed = this.store.findByPrincipalName(principalName);
		}
		catch (UnsupportedOperationException ex) {
			logger.warn("session.max-sessions-per-principal is not enforced: " + ex.getMessage());
			return;
		}
		List<StoredSession> others = indexed.stream()
			.filter((other) -> !other.id().equals(session.state().storedId()))
			.filter((other) -> session.now().isBefore(other.lastAccessed().plus(this.policy.timeout())))
			.sorted(Comparator.comparing(StoredSession::lastAccessed))
			.toList();
		for (StoredSession oldest : others.subList(0, Math.max(0, others.size() - (max - 1)))) {
			this.store.delete(oldest.id());
			this.hooks.events().publishEvent(new SessionKilledEvent(this.store, oldest.id(), this.hooks.clock()));
		}
	}

	private void store(RequestSession session) {
		SessionState state = session.state();
		String storedId = state.storedId();
		if (state.isKilled()) {
			if (storedId != null) {
				deleteFollowingMoves(storedId);
				state.deleted();
				this.hooks.events().publishEvent(new SessionKilledEvent(this.store, storedId, this.hooks.clock()));
			}
		}
		else if (storedId == null) {
			if (state.isDirty()) {
				create(session);
				this.hooks.events().publishEvent(new SessionCreatedEvent(this.store, state.key(), this.hooks.clock()));
			}
		}
		else if (state.isRegenerating()) {
			if (regenerate(session, storedId)) {
				this.hooks.events()
					.publishEvent(new SessionRegeneratedEvent(this.store, storedId, state.key(), this.hooks.clock()));
			}
		}
		else if (state.hasChanges()) {
			update(session);
		}
		else if (session.now().isAfter(state.lastAccessed().plus(this.touchAfter))) {
			this.store.touch(storedId, session.now());
			state.touched();
			resendCookie(session);
		}
	}

	/** Stores a new session under a fresh id, choosing another on a collision. */
	private void create(RequestSession session) {
		byte[] bytes = serialize(session);
		createAs(session, bytes);
		session.state().stored(0);
	}

	private void createAs(RequestSession session, byte[] bytes) {
		for (int attempt = 1; !this.store.create(session.state().key(), bytes, session.state().principalName(),
				session.now()); attempt++) {
			if (attempt == MAX_NEW_IDS) {
				throw new IllegalStateException(this.store + " refused " + attempt + " new session ids in a row");
			}
			logger.warn("Session id collision in " + this.store + "; choosing another id");
			session.state().renamed(SessionIds.generate());
			idChanged(session);
		}
	}

	/**
	 * Writes this request's changes with a compare-and-set on the version, merging them
	 * onto what concurrent requests stored meanwhile, and following the session if it
	 * moved to a new id.
	 */
	private void update(RequestSession session) {
		SessionState state = session.state();
		Backoff backoff = null;
		Instant accessed = accessTimeToStore(session, state.lastAccessed());
		while (!this.store.update(state.storedId(), serialize(session), state.principalName(), accessed,
				state.version())) {
			StoredSession current = reloadFollowingMoves(session);
			if (current == null) {
				logger.debug("Session " + SessionKeys.abbreviate(state.storedId())
						+ " was removed while this request used it; its changes are dropped");
				state.lost();
				return;
			}
			state.rebased(current.version(), deserializeConcurrent(current));
			accessed = accessTimeToStore(session, current.lastAccessed());
			if (backoff == null) {
				// from the first conflict: the usual save never needs one
				backoff = new Backoff(session);
			}
			backoff.pause();
		}
		state.stored(state.version() + 1, accessed);
		resendCookie(session);
	}

	/**
	 * The access time a write stores: the stored one while a read would not touch it yet
	 * (younger than {@link SessionPolicy#touchAfter()}), else the request's time.
	 * Idleness is judged to that precision anyway, and a write that leaves the indexed
	 * access time as it was lets a database update the row in place (PostgreSQL's
	 * heap-only update) rather than add an entry to each of the table's indexes.
	 */
	private Instant accessTimeToStore(RequestSession session, Instant storedAccess) {
		Instant now = session.now();
		return now.isAfter(storedAccess.plus(this.touchAfter)) ? now : storedAccess;
	}

	private @Nullable StoredSession reloadFollowingMoves(RequestSession session) {
		StoredSession current = this.store.load(session.state().storedId());
		for (int moves = 0; current != null && MovedSession.target(current.data()) != null; moves++) {
			if (moves == MAX_MOVES_FOLLOWED) {
				return null;
			}
			session.state().followedTo(MovedSession.target(current.data()));
			current = this.store.load(session.state().storedId());
		}
		return current;
	}

	/**
	 * Moves the session's data from {@code previousKey} to its new id: stores it under
	 * the new id, then replaces the old data by a {@link MovedSession} marker with a
	 * compare-and-set, first carrying over whatever concurrent requests wrote to the old
	 * id meanwhile. A store failure on the way removes the new id again, unless the move
	 * had in fact completed.
	 */
	private boolean regenerate(RequestSession session, String previousKey) {
		SessionState state = session.state();
		String from = previousKey;
		long fromVersion = state.version();
		createAs(session, serialize(session));
		String key = state.key();
		long version = 0;
		try {
			Backoff backoff = new Backoff(session);
			while (!this.store.update(from, MovedSession.to(key), movedAt(session.now()), fromVersion)) {
				StoredSession current = this.store.load(from);
				for (int moves = 0; current != null && MovedSession.target(current.data()) != null
						&& moves < MAX_MOVES_FOLLOWED; moves++) {
					// regenerated by another request meanwhile: this one moves on from
					// where that one went
					from = MovedSession.target(current.data());
					current = this.store.load(from);
				}
				if (current == null || MovedSession.target(current.data()) != null) {
					// killed or expired meanwhile: the kill wins, and the new id goes too
					this.store.delete(key);
					state.deleted();
					this.cookie.clear(session.request(), session.response());
					return false;
				}
				state.rebased(current.version(), deserializeConcurrent(current));
				fromVersion = current.version();
				if (!this.store.update(key, serialize(session), state.principalName(), session.now(), version)) {
					throw new SessionConflictException("Session " + SessionKeys.abbreviate(key)
							+ " changed under its new id before its regeneration completed");
				}
				version++;
				backoff.pause();
			}
		}
		catch (RuntimeException ex) {
			if (!movedTo(from, key, ex)) {
				throw ex;
			}
		}
		state.regenerated(version);
		return true;
	}

	/**
	 * Deletes the session stored under {@code key}, and wherever a regenerate that raced
	 * with this request moved it: a kill is never undone by a move.
	 */
	private void deleteFollowingMoves(String key) {
		String next = key;
		for (int moves = 0; next != null && moves <= MAX_MOVES_FOLLOWED; moves++) {
			StoredSession current = this.store.load(next);
			this.store.delete(next);
			next = (current != null) ? MovedSession.target(current.data()) : null;
		}
	}

	/**
	 * After a failure while moving: whether the move completed anyway; if not, the new id
	 * is removed.
	 */
	private boolean movedTo(String previousKey, String key, RuntimeException failure) {
		try {
			StoredSession previous = this.store.load(previousKey);
			if (previous != null && key.equals(MovedSession.target(previous.data()))) {
				return true;
			}
			this.store.delete(key);
		}
		catch (RuntimeException cleanupFailure) {
			failure.addSuppressed(cleanupFailure);
		}
		return false;
	}

	/**
	 * The last access that makes the cleanup remove a marker {@link #MOVE_GRACE} after
	 * {@code now}.
	 */
	private Instant movedAt(Instant now) {
		Duration timeout = this.policy.timeout();
		Duration grace = (MOVE_GRACE.compareTo(timeout) < 0) ? MOVE_GRACE : timeout;
		return now.minus(timeout).plus(grace);
	}

	private SessionData deserializeConcurrent(StoredSession current) {
		try {
			return this.storage.serializer().deserialize(current.data());
		}
		catch (UnreadableSessionException ex) {
			throw new SessionConflictException("Session " + SessionKeys.abbreviate(current.id())
					+ " was stored by a concurrent request in a form this one cannot read: " + ex.getMessage());
		}
	}

	private byte[] serialize(RequestSession session) {
		SessionState state = session.state();
		byte[] bytes = this.storage.serializer().serialize(state.data());
		if (bytes.length > this.policy.maxSizeBytes()) {
			throw new SessionTooLargeException("Session " + SessionKeys.abbreviate(state.key()) + " is " + bytes.length
					+ " bytes serialized, over session.max-size (" + DataSize.ofBytes(this.policy.maxSizeBytes())
					+ "); its largest keys: " + largestKeys(state.data()));
		}
		return bytes;
	}

	private String largestKeys(SessionData data) {
		return data.attributes()
			.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(),
					this.storage.serializer()
						.serialize(new SessionData(data.created(), null,
								Map.of(entry.getKey(), entry.getValue()))).length))
			.sorted(Comparator.comparing(Map.Entry<String, Integer>::getValue).reversed())
			.limit(3)
			.map((entry) -> entry.getKey() + " (" + entry.getValue() + " bytes)")
			.collect(Collectors.joining(", "));
	}

	void idChanged(RequestSession session) {
		if (session.response().isCommitted()) {
			logger.warn("Session cookie for " + session.request().getRequestURI()
					+ " could not be set: the response was already committed when the session was first written");
			return;
		}
		this.cookie.write(session.request(), session.response(), session.state().id());
	}

	/**
	 * With {@code session.cookie-max-age}, the cookie lives as long as the session: sent
	 * again at each stored access.
	 */
	private void resendCookie(RequestSession session) {
		if (this.cookie.hasMaxAge()) {
			this.cookie.write(session.request(), session.response(), session.state().id());
		}
	}

	/**
	 * Randomized exponential pauses between attempts to save against concurrent writers,
	 * so that they spread out instead of colliding again, until
	 * {@link #CONFLICT_DEADLINE}.
	 */
	private static final class Backoff {

		private final RequestSession session;

		private final long deadline = System.nanoTime() + CONFLICT_DEADLINE.toNanos();

		private long maxPauseMicros = 500;

		Backoff(RequestSession session) {
			this.session = session;
		}

		void pause() {
			if (System.nanoTime() - this.deadline > 0) {
				throw new SessionConflictException("Session " + SessionKeys.abbreviate(this.session.state().key())
						+ " was changed by concurrent requests for " + CONFLICT_DEADLINE.toSeconds()
						+ " s while this request saved it; nothing of it was written. session.lock=true runs"
						+ " the requests of one session one at a time");
			}
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(this.maxPauseMicros) * 1000);
			this.maxPauseMicros = Math.min(this.maxPauseMicros * 2, 50_000);
		}

	}

}
