package io.github.webpysession.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.github.webpysession.store.SessionKeys;
import io.github.webpysession.Session;
import io.github.webpysession.SessionExpiredException;
import io.github.webpysession.SessionInitializer;
import io.github.webpysession.event.SessionExpiredEvent;
import io.github.webpysession.event.SessionUnreadableEvent;
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
 * meanwhile, retried with a randomized backoff until
 * {@link SessionWriter#CONFLICT_DEADLINE}, then answered 503.</li>
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

	private static final Log logger = LogFactory.getLog(SessionLifecycle.class);

	private static final String ATTRIBUTE = RequestSession.class.getName();

	private final SessionStore store;

	private final SessionStorage storage;

	private final SessionCookie cookie;

	private final SessionPolicy policy;

	private final SessionHooks hooks;

	private final SessionWriter writer;

	/** {@link SessionPolicy#touchAfter()}, computed once. */
	private final Duration touchAfter;

	public SessionLifecycle(SessionStorage storage, SessionCookie cookie, SessionPolicy policy, SessionHooks hooks) {
		this.store = storage.store();
		this.storage = storage;
		this.cookie = cookie;
		this.policy = policy;
		this.hooks = hooks;
		this.writer = new SessionWriter(storage, cookie, policy, hooks);
		this.touchAfter = policy.touchAfter();
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
			this.writer.save(session);
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
		session.state().renewed(SessionIds.generate(), session.request().getRemoteAddr());
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
			String key = requested.key();
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
		session.state().startedNew(SessionIds.generate(), session.request().getRemoteAddr());
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
			Outcome outcome = restore(session, requested.id(), requested.key(), false);
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
			stored = this.store.loadForUse(key, now, this.touchAfter, this.policy.timeout());
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
				this.hooks.events().publishEvent(new SessionUnreadableEvent(this.store, key, this.hooks.clock()));
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
			session.state().restored(id, key, stored.version(), stored.lastAccessed(), data);
		}
		return Outcome.RESTORED;
	}

	private Outcome expire(String key, SessionExpiredEvent.Reason reason) {
		this.store.delete(key);
		this.hooks.events().publishEvent(new SessionExpiredEvent(this.store, key, reason, this.hooks.clock()));
		return (reason != SessionExpiredEvent.Reason.IP_CHANGED) ? Outcome.EXPIRED : Outcome.IP_CHANGED;
	}

	// Saving

	void resolvePrincipal(RequestSession session, String key, @Nullable Object value) {
		for (SessionPrincipalResolver resolver : this.hooks.principalResolvers()) {
			if (resolver.appliesTo(key)) {
				session.setPrincipalName(resolver.principalName(value));
			}
		}
	}

	void checkValue(String key, Object value) {
		this.storage.serializer().checkValue(key, value);
	}

	// The cookie

	void idChanged(RequestSession session) {
		this.writer.idChanged(session);
	}

	void killed(RequestSession session) {
		this.cookie.clear(session.request(), session.response());
	}

	private enum Outcome {

		// In the order of what a request with several cookies answers: the last one tried
		// that applies.
		NO_COOKIE, UNREADABLE, UNKNOWN, EXPIRED, IP_CHANGED, RESTORED;

		Outcome orWorse(Outcome other) {
			return (other.ordinal() > ordinal()) ? other : this;
		}

	}

}
