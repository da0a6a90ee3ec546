package io.github.webpysession.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.Session;
import io.github.webpysession.SessionExpiredException;
import io.github.webpysession.SessionInitializer;
import io.github.webpysession.event.SessionCreatedEvent;
import io.github.webpysession.event.SessionExpiredEvent;
import io.github.webpysession.event.SessionKilledEvent;
import io.github.webpysession.event.SessionRegeneratedEvent;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The request lifecycle of a session, web.py's {@code _processor}, in one place: how a
 * request's session is found, loaded, judged and saved. {@link SessionInterceptor} runs
 * it for Spring MVC.
 * <ul>
 * <li>Lazy: a request that never touches its {@link Session} reads no store. A new
 * session is stored, and its cookie set, only once something is written to it.</li>
 * <li>Every cookie tried: a request may carry several cookies of the session's name (a
 * stale one beside the live one); each well-formed one is tried, in order, before a new
 * session starts.</li>
 * <li>Only what changed: a read-only request of a live session writes at most an
 * access-time touch, once a quarter of the timeout has passed; a write sends only this
 * request's changes, merged with what concurrent requests of the same session stored
 * meanwhile, retried with a randomized backoff until {@link #CONFLICT_DEADLINE}, then
 * answered 503.</li>
 * <li>Nothing lost to a regenerate: the data moves to the new id, and the old id keeps a
 * marker ({@link MovedSession}) that lets requests still working on it carry their
 * changes over.</li>
 * <li>Cookie changes only with the save: the cookie is set or cleared while the handler
 * runs, so that it reaches the client whatever the handler returns, and taken back if the
 * save fails, so that a client is never sent an id that was not stored, nor told to
 * forget one that was not removed. One {@code Set-Cookie} per response.</li>
 * <li>One at a time, with {@code session.lock}: loading a session that a cookie names
 * first takes its {@link SessionLocks lock}, held until the request completes, however it
 * ends. A request that never uses its session never waits, even where expiry is judged
 * before the handler.</li>
 * <li>Observable: a session created, regenerated, killed or found expired is published as
 * a {@link io.github.webpysession.event.SessionEvent} once the store has changed.</li>
 * </ul>
 */
public class SessionLifecycle {

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

	private static final Log logger = LogFactory.getLog(SessionLifecycle.class);

	private static final String ATTRIBUTE = RequestSession.class.getName();

	private static final int MAX_NEW_IDS = 20;

	private static final int MAX_MOVES_FOLLOWED = 8;

	private final SessionStore store;

	private final SessionStorage storage;

	private final SessionCookie cookie;

	private final SessionPolicy policy;

	private final SessionHooks hooks;

	public SessionLifecycle(SessionStorage storage, SessionCookie cookie, SessionPolicy policy, SessionHooks hooks) {
		this.store = storage.store();
		this.storage = storage;
		this.cookie = cookie;
		this.policy = policy;
		this.hooks = hooks;
	}

	/**
	 * The session of {@code request}, once {@link #begin} has run for it.
	 * @throws IllegalStateException outside a request that began its session
	 */
	public static Session current(HttpServletRequest request) {
		Object session = request.getAttribute(ATTRIBUTE);
		if (session == null) {
			throw new IllegalStateException("No session for " + request.getRequestURI()
					+ ": Session is available within a request that SessionFilter or SessionInterceptor saw");
		}
		return (Session) session;
	}

	private static @Nullable RequestSession find(HttpServletRequest request) {
		return (RequestSession) request.getAttribute(ATTRIBUTE);
	}

	/**
	 * Gives {@code request} its lazy session, unless it has one: nothing is read yet.
	 * @param filtered whether a filter around the whole request completes it, rather than
	 * the handler's {@link #handled}
	 */
	public Session attach(HttpServletRequest request, HttpServletResponse response, boolean filtered) {
		RequestSession session = find(request);
		if (session == null) {
			session = new RequestSession(this, request, response, this.hooks.clock().instant(), filtered);
			request.setAttribute(ATTRIBUTE, session);
		}
		return session;
	}

	/**
	 * Before a handler runs: gives {@code request} its session, and judges expiry first
	 * where the policy says so.
	 * @throws SessionExpiredException if the session a cookie names has expired and the
	 * policy answers that
	 */
	public void begin(HttpServletRequest request, HttpServletResponse response) {
		RequestSession session = (RequestSession) attach(request, response, false);
		if (!this.policy.judgesBeforeHandler() || session.requestedIds().isEmpty()) {
			return;
		}
		if (!session.isLoaded()) {
			if (this.policy.lockTimeout() == null) {
				session.ensureLoaded();
			}
			else {
				judgeUnlocked(session);
			}
		}
		if (session.isExpiredAnswer()) {
			throw new SessionExpiredException(this.policy.expiredMessage());
		}
	}

	/**
	 * Saves what the request changed in its session, if anything. Called again later, it
	 * saves only what changed since. A failed save takes back the cookie change, is
	 * thrown, and ends the session's saving for this request: what it could not save is
	 * dropped, never half-written.
	 */
	public void save(HttpServletRequest request) {
		RequestSession session = find(request);
		if (session == null || !session.isLoaded() || session.hasFailed()) {
			return;
		}
		try {
			save(session);
		}
		catch (RuntimeException ex) {
			session.failed();
			this.cookie.revert(session.response());
			throw ex;
		}
	}

	/**
	 * Saves what is left to save once the request has completed, logging rather than
	 * throwing a failure (the response is gone), and releases the session's lock.
	 */
	public void complete(HttpServletRequest request) {
		RequestSession session = find(request);
		if (session == null) {
			return;
		}
		try {
			save(request);
		}
		catch (RuntimeException failure) {
			logger.error("Session of " + request.getRequestURI() + " could not be saved after the response was sent: "
					+ failure.getMessage(), failure);
		}
		finally {
			session.release();
		}
	}

	/**
	 * After the handler: {@link #complete} the request, unless a filter around it will.
	 */
	public void handled(HttpServletRequest request) {
		RequestSession session = find(request);
		if (session != null) {
			session.handlerDone();
			if (!session.isFiltered()) {
				complete(request);
			}
		}
	}

	/**
	 * After {@code kill()}: the kill is saved now, and the request goes on with a new,
	 * empty session, as {@code HttpSession.invalidate()} followed by
	 * {@code getSession(true)} does.
	 */
	void renew(RequestSession session) {
		save(session.request());
		session.renewed(SessionIds.generate(), session.request().getRemoteAddr());
		initialize(session);
	}

	/** Releases the session's lock, where the request ends before {@link #complete}. */
	public void release(HttpServletRequest request) {
		RequestSession session = find(request);
		if (session != null) {
			session.release();
		}
	}

	// Loading

	List<SessionCookie.RequestedId> readCookies(HttpServletRequest request) {
		return this.cookie.readIds(request);
	}

	void load(RequestSession session) {
		Outcome worst = Outcome.NO_COOKIE;
		for (SessionCookie.RequestedId requested : session.requestedIds()) {
			String key = SessionIds.digest(requested.id());
			lock(session, key);
			Outcome outcome = restore(session, requested.id(), key, true);
			if (outcome == Outcome.RESTORED) {
				if (requested.signedWithPreviousKey()) {
					idChanged(session);
				}
				return;
			}
			session.release();
			worst = worst.orWorse(outcome);
		}
		session.startedNew(SessionIds.generate(), session.request().getRemoteAddr());
		initialize(session);
		if (worst == Outcome.UNREADABLE) {
			// The client stops presenting what cannot be read: one warning, not one per
			// request.
			this.cookie.clear(session.request(), session.response());
		}
		if (isExpiredAnswer(worst)) {
			session.expiredAnswer();
		}
	}

	private void initialize(RequestSession session) {
		for (SessionInitializer initializer : this.hooks.initializers()) {
			session.initialize(() -> initializer.initialize(session));
		}
	}

	/**
	 * Judges expiry before the handler without taking the lock, which only a use of the
	 * session takes.
	 */
	private void judgeUnlocked(RequestSession session) {
		Outcome worst = Outcome.NO_COOKIE;
		for (SessionCookie.RequestedId requested : session.requestedIds()) {
			Outcome outcome = restore(session, requested.id(), SessionIds.digest(requested.id()), false);
			if (outcome == Outcome.RESTORED) {
				return;
			}
			worst = worst.orWorse(outcome);
		}
		if (isExpiredAnswer(worst)) {
			session.expiredAnswer();
		}
	}

	private boolean isExpiredAnswer(Outcome worst) {
		return worst == Outcome.IP_CHANGED
				|| (!this.policy.ignoreExpiry() && (worst == Outcome.UNKNOWN || worst == Outcome.EXPIRED));
	}

	private void lock(RequestSession session, String key) {
		Duration maxWait = this.policy.lockTimeout();
		if (maxWait == null) {
			return;
		}
		SessionLocks.Lease lease = this.storage.locks().tryAcquire(key, maxWait);
		if (lease == null) {
			throw new SessionLockTimeoutException("Session " + SessionKeys.abbreviate(key)
					+ " is still in use by another request after " + maxWait.toMillis() + " ms (session.lock-timeout)");
		}
		session.hold(lease);
	}

	private Outcome restore(RequestSession session, String id, String key, boolean attach) {
		Instant now = session.now();
		StoredSession stored;
		SessionData data;
		try {
			stored = this.store.load(key);
			if (stored == null || MovedSession.target(stored.data()) != null) {
				return Outcome.UNKNOWN;
			}
			if (!now.isBefore(stored.lastAccessed().plus(this.policy.timeout()))) {
				return expire(key, SessionExpiredEvent.Reason.TIMEOUT);
			}
			data = this.storage.serializer().deserialize(stored.data());
		}
		catch (UnreadableSessionException ex) {
			if (attach) {
				logger.warn("Session " + SessionKeys.abbreviate(key) + " in " + this.store
						+ " is unreadable, starting a new one: " + ex.getMessage());
			}
			return Outcome.UNREADABLE;
		}
		Duration maxLifetime = this.policy.maxLifetime();
		if (maxLifetime != null && !now.isBefore(data.created().plus(maxLifetime))) {
			return expire(key, SessionExpiredEvent.Reason.MAX_LIFETIME);
		}
		if (!this.policy.ignoreChangeIp() && !Objects.equals(data.ip(), session.request().getRemoteAddr())) {
			return expire(key, SessionExpiredEvent.Reason.IP_CHANGED);
		}
		if (attach) {
			session.restored(id, key, stored.version(), stored.lastAccessed(), data);
		}
		return Outcome.RESTORED;
	}

	private Outcome expire(String key, SessionExpiredEvent.Reason reason) {
		this.store.delete(key);
		this.hooks.events().publishEvent(new SessionExpiredEvent(this.store, key, reason, this.hooks.clock()));
		return (reason != SessionExpiredEvent.Reason.IP_CHANGED) ? Outcome.EXPIRED : Outcome.IP_CHANGED;
	}

	// Saving

	private void save(RequestSession session) {
		boolean newPrincipal = session.hasNewPrincipal();
		store(session);
		if (newPrincipal && !session.isKilled()) {
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
		String principalName = session.principalName();
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
			.filter((other) -> !other.id().equals(session.storedId()))
			.filter((other) -> session.now().isBefore(other.lastAccessed().plus(this.policy.timeout())))
			.sorted(Comparator.comparing(StoredSession::lastAccessed))
			.toList();
		for (StoredSession oldest : others.subList(0, Math.max(0, others.size() - (max - 1)))) {
			this.store.delete(oldest.id());
			this.hooks.events().publishEvent(new SessionKilledEvent(this.store, oldest.id(), this.hooks.clock()));
		}
	}

	void resolvePrincipal(RequestSession session, String key, @Nullable Object value) {
		for (SessionPrincipalResolver resolver : this.hooks.principalResolvers()) {
			if (resolver.appliesTo(key)) {
				session.setPrincipalName(resolver.principalName(value));
			}
		}
	}

	private void store(RequestSession session) {
		String storedId = session.storedId();
		if (session.isKilled()) {
			if (storedId != null) {
				deleteFollowingMoves(storedId);
				session.deleted();
				this.hooks.events().publishEvent(new SessionKilledEvent(this.store, storedId, this.hooks.clock()));
			}
		}
		else if (storedId == null) {
			if (session.isDirty()) {
				create(session);
				this.hooks.events()
					.publishEvent(new SessionCreatedEvent(this.store, session.key(), this.hooks.clock()));
			}
		}
		else if (session.isRegenerating()) {
			if (regenerate(session, storedId)) {
				this.hooks.events()
					.publishEvent(new SessionRegeneratedEvent(this.store, storedId, session.key(), this.hooks.clock()));
			}
		}
		else if (session.hasChanges()) {
			update(session);
		}
		else if (Duration.between(session.lastAccessed(), session.now()).compareTo(this.policy.touchAfter()) > 0) {
			this.store.touch(storedId, session.now());
			session.touched();
			resendCookie(session);
		}
	}

	/** Stores a new session under a fresh id, choosing another on a collision. */
	private void create(RequestSession session) {
		byte[] bytes = serialize(session);
		createAs(session, bytes);
		session.stored(0);
	}

	private void createAs(RequestSession session, byte[] bytes) {
		for (int attempt = 1; !this.store.create(session.key(), bytes, session.principalName(),
				session.now()); attempt++) {
			if (attempt == MAX_NEW_IDS) {
				throw new IllegalStateException(this.store + " refused " + attempt + " new session ids in a row");
			}
			logger.warn("Session id collision in " + this.store + "; choosing another id");
			session.renamed(SessionIds.generate());
			idChanged(session);
		}
	}

	/**
	 * Writes this request's changes with a compare-and-set on the version, merging them
	 * onto what concurrent requests stored meanwhile, and following the session if it
	 * moved to a new id.
	 */
	private void update(RequestSession session) {
		Backoff backoff = new Backoff(session);
		while (!this.store.update(session.storedId(), serialize(session), session.principalName(), session.now(),
				session.version())) {
			StoredSession current = reloadFollowingMoves(session);
			if (current == null) {
				logger.debug("Session " + SessionKeys.abbreviate(session.storedId())
						+ " was removed while this request used it; its changes are dropped");
				session.lost();
				return;
			}
			session.rebased(current.version(), deserializeConcurrent(current));
			backoff.pause();
		}
		session.stored(session.version() + 1);
		resendCookie(session);
	}

	private @Nullable StoredSession reloadFollowingMoves(RequestSession session) {
		StoredSession current = this.store.load(session.storedId());
		for (int moves = 0; current != null && MovedSession.target(current.data()) != null; moves++) {
			if (moves == MAX_MOVES_FOLLOWED) {
				return null;
			}
			session.followedTo(MovedSession.target(current.data()));
			current = this.store.load(session.storedId());
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
		String from = previousKey;
		long fromVersion = session.version();
		createAs(session, serialize(session));
		String key = session.key();
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
					session.deleted();
					this.cookie.clear(session.request(), session.response());
					return false;
				}
				session.rebased(current.version(), deserializeConcurrent(current));
				fromVersion = current.version();
				if (!this.store.update(key, serialize(session), session.principalName(), session.now(), version)) {
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
		session.regenerated(version);
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
		byte[] bytes = this.storage.serializer().serialize(session.data());
		if (bytes.length > this.policy.maxSizeBytes()) {
			throw new SessionTooLargeException("Session " + SessionKeys.abbreviate(session.key()) + " is "
					+ bytes.length + " bytes serialized, over session.max-size ("
					+ DataSize.ofBytes(this.policy.maxSizeBytes()) + "); its largest keys: "
					+ largestKeys(session.data()));
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

	void checkValue(String key, Object value) {
		this.storage.serializer().checkValue(key, value);
	}

	// The cookie

	void idChanged(RequestSession session) {
		if (session.response().isCommitted()) {
			logger.warn("Session cookie for " + session.request().getRequestURI()
					+ " could not be set: the response was already committed when the session was first written");
			return;
		}
		this.cookie.write(session.request(), session.response(), session.id());
	}

	void killed(RequestSession session) {
		this.cookie.clear(session.request(), session.response());
	}

	/**
	 * With {@code session.cookie-max-age}, the cookie lives as long as the session: sent
	 * again at each stored access.
	 */
	private void resendCookie(RequestSession session) {
		if (this.cookie.hasMaxAge()) {
			this.cookie.write(session.request(), session.response(), session.id());
		}
	}

	private enum Outcome {

		// In the order of what a request with several cookies answers: the last one tried
		// that applies.
		NO_COOKIE, UNREADABLE, UNKNOWN, EXPIRED, IP_CHANGED, RESTORED;

		Outcome orWorse(Outcome other) {
			return (other.ordinal() > ordinal()) ? other : this;
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
				throw new SessionConflictException("Session " + SessionKeys.abbreviate(this.session.key())
						+ " was changed by concurrent requests for " + CONFLICT_DEADLINE.toSeconds()
						+ " s while this request saved it; nothing of it was written. session.lock=true runs"
						+ " the requests of one session one at a time");
			}
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(this.maxPauseMicros) * 1000);
			this.maxPauseMicros = Math.min(this.maxPauseMicros * 2, 50_000);
		}

	}

}
