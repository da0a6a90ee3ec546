package io.github.webpysession.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.webpysession.Session;
import io.github.webpysession.SessionExpiredException;
import io.github.webpysession.SessionInitializer;
import io.github.webpysession.event.SessionCreatedEvent;
import io.github.webpysession.event.SessionExpiredEvent;
import io.github.webpysession.event.SessionKilledEvent;
import io.github.webpysession.event.SessionRegeneratedEvent;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.serializer.SessionSerializer;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * The request lifecycle of a session, web.py's {@code _processor}: the session is loaded before
 * the handler uses it and saved after it.
 * <ul>
 * <li>Lazy: a request that never touches its {@link Session} reads no store. A new session is
 * stored, and its cookie set, only once something is written to it.</li>
 * <li>Early expiry: with {@code ignore-expiry} or {@code ignore-change-ip} false, a request that
 * carries a session cookie loads it before the handler runs, so that
 * {@link SessionExpiredException} comes first.</li>
 * <li>Saved before the response is committed where Spring MVC allows it (before a response body
 * is written, before a view renders), so that a store that fails turns into a 503 rather than a
 * silent loss; else, and whatever the handler threw, when the request completes.</li>
 * <li>Only what changed: a read-only request of a live session writes at most an access-time
 * touch, once a quarter of the timeout has passed; a write sends only this request's changes,
 * merged with what concurrent requests of the same session stored meanwhile.</li>
 * <li>Cookies are set when the id changes (first write, {@code regenerateId()}, {@code kill()}),
 * while the handler runs, so they reach the client whatever the handler returns.</li>
 * <li>One at a time, with {@code session.lock}: loading a session that the cookie names first
 * takes its {@link SessionLocks lock}, held until the request completes, however it ends.</li>
 * <li>Observable: a session created, regenerated, killed or found expired is published as a
 * {@link io.github.webpysession.event.SessionEvent} once the store has changed.</li>
 * </ul>
 */
public class SessionInterceptor implements HandlerInterceptor {

	private static final Log logger = LogFactory.getLog(SessionInterceptor.class);

	private static final String ATTRIBUTE = RequestSession.class.getName();

	private static final int MAX_ATTEMPTS = 20;

	private final SessionStore store;

	private final SessionSerializer serializer;

	private final SessionCookie cookie;

	private final SessionPolicy policy;

	private final List<SessionInitializer> initializers;

	private final Clock clock;

	private final String expiredMessage;

	private final SessionLocks locks;

	private final ApplicationEventPublisher events;

	public SessionInterceptor(SessionStore store, SessionSerializer serializer, SessionCookie cookie,
			SessionPolicy policy, List<SessionInitializer> initializers, Clock clock, String expiredMessage,
			SessionLocks locks, ApplicationEventPublisher events) {
		this.store = store;
		this.serializer = serializer;
		this.cookie = cookie;
		this.policy = policy;
		this.initializers = List.copyOf(initializers);
		this.clock = clock;
		this.expiredMessage = expiredMessage;
		this.locks = locks;
		this.events = events;
	}

	/**
	 * The session of {@code request}, which this interceptor has seen.
	 * @throws IllegalStateException outside a request that Spring MVC dispatched
	 */
	public static Session current(HttpServletRequest request) {
		Object session = request.getAttribute(ATTRIBUTE);
		if (session == null) {
			throw new IllegalStateException("No session for " + request.getRequestURI()
					+ ": Session is available to Spring MVC handlers only, after SessionInterceptor ran");
		}
		return (Session) session;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		RequestSession session = (RequestSession) request.getAttribute(ATTRIBUTE);
		if (session == null) {
			session = new RequestSession(this, request, response, this.clock.instant());
			request.setAttribute(ATTRIBUTE, session);
		}
		if ((!this.policy.ignoreExpiry() || !this.policy.ignoreChangeIp()) && session.requestedId() != null) {
			try {
				session.ensureLoaded();
			}
			catch (RuntimeException ex) {
				unlock(session);
				throw ex;
			}
		}
		return true;
	}

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable ModelAndView modelAndView) {
		save(request);
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		try {
			save(request);
		}
		catch (RuntimeException failure) {
			logger.error("Session of " + request.getRequestURI() + " could not be saved after the response was sent: "
					+ failure.getMessage(), failure);
		}
		finally {
			RequestSession session = (RequestSession) request.getAttribute(ATTRIBUTE);
			if (session != null) {
				unlock(session);
			}
		}
	}

	/**
	 * Saves what the request changed in its session, if anything. Called again later, it saves
	 * only what changed since. A failed save is thrown, and what it could not save is dropped.
	 */
	public void save(HttpServletRequest request) {
		RequestSession session = (RequestSession) request.getAttribute(ATTRIBUTE);
		if (session == null || !session.isLoaded()) {
			return;
		}
		try {
			save(session);
		}
		catch (RuntimeException ex) {
			session.abandonChanges();
			throw ex;
		}
	}

	/**
	 * With {@code session.lock}, waits for the lock of the session that the cookie names, before
	 * it is loaded. A request without such a cookie starts a session no other request knows.
	 * @throws SessionLockTimeoutException if the lock stays taken for longer than the lock timeout
	 */
	void lock(RequestSession session) {
		Duration maxWait = this.policy.lockTimeout();
		String id = session.requestedId();
		if (maxWait == null || id == null || session.lease != null) {
			return;
		}
		session.lease = this.locks.tryAcquire(id, maxWait);
		if (session.lease == null) {
			throw new SessionLockTimeoutException("Session " + abbreviate(id) + " is still in use by another request"
					+ " after " + maxWait.toMillis() + " ms (session.lock-timeout)");
		}
	}

	private static void unlock(RequestSession session) {
		SessionLocks.Lease lease = session.lease;
		if (lease != null) {
			session.lease = null;
			lease.close();
		}
	}

	void load(RequestSession session) {
		SessionCookie.RequestedId requested = session.requested();
		Outcome outcome = (requested != null) ? restore(session, requested.id(), session.now) : Outcome.NO_COOKIE;
		if (outcome == Outcome.RESTORED) {
			if (requested.signedWithPreviousKey()) {
				idChanged(session);
			}
			return;
		}
		session.startNew(SessionIds.generate(), session.request.getRemoteAddr());
		for (SessionInitializer initializer : this.initializers) {
			session.initialize(() -> initializer.initialize(session));
		}
		if (outcome == Outcome.IP_CHANGED
				|| (!this.policy.ignoreExpiry() && (outcome == Outcome.UNKNOWN || outcome == Outcome.EXPIRED))) {
			throw new SessionExpiredException(this.expiredMessage);
		}
	}

	private Outcome restore(RequestSession session, String id, Instant now) {
		StoredSession stored;
		SessionData data;
		try {
			stored = this.store.load(id);
			if (stored == null) {
				return Outcome.UNKNOWN;
			}
			if (!now.isBefore(stored.lastAccessed().plus(this.policy.timeout()))) {
				return expire(id, SessionExpiredEvent.Reason.TIMEOUT);
			}
			data = this.serializer.deserialize(stored.data());
		}
		catch (UnreadableSessionException ex) {
			logger.warn("Session " + abbreviate(id) + " in " + this.store + " is unreadable, starting a new one: "
					+ ex.getMessage());
			return Outcome.UNREADABLE;
		}
		Duration maxLifetime = this.policy.maxLifetime();
		if (maxLifetime != null && !now.isBefore(data.created().plus(maxLifetime))) {
			return expire(id, SessionExpiredEvent.Reason.MAX_LIFETIME);
		}
		if (!this.policy.ignoreChangeIp() && !Objects.equals(data.ip(), session.request.getRemoteAddr())) {
			return expire(id, SessionExpiredEvent.Reason.IP_CHANGED);
		}
		session.attach(id, stored.version(), stored.lastAccessed(), data);
		return Outcome.RESTORED;
	}

	private Outcome expire(String id, SessionExpiredEvent.Reason reason) {
		this.store.delete(id);
		this.events.publishEvent(new SessionExpiredEvent(this.store, id, reason, this.clock));
		return (reason != SessionExpiredEvent.Reason.IP_CHANGED) ? Outcome.EXPIRED : Outcome.IP_CHANGED;
	}

	private void save(RequestSession session) {
		Instant now = session.now;
		if (session.killed) {
			String storedId = (session.replacedId != null) ? session.replacedId : (!session.isNew) ? session.id : null;
			if (storedId != null) {
				this.store.delete(storedId);
			}
			session.isNew = true;
			session.replacedId = null;
			if (storedId != null) {
				this.events.publishEvent(new SessionKilledEvent(this.store, storedId, this.clock));
			}
		}
		else if (session.isNew) {
			if (session.dirty) {
				create(session);
				this.events.publishEvent(new SessionCreatedEvent(this.store, session.id, this.clock));
			}
		}
		else if (session.replacedId != null) {
			String previousId = session.replacedId;
			create(session);
			this.store.delete(previousId);
			session.replacedId = null;
			this.events.publishEvent(new SessionRegeneratedEvent(this.store, previousId, session.id, this.clock));
		}
		else if (!session.changes.isEmpty()) {
			update(session);
		}
		else if (Duration.between(session.lastAccessed, now).compareTo(this.policy.touchAfter()) > 0) {
			this.store.touch(session.id, now);
			session.lastAccessed = now;
		}
	}

	private void create(RequestSession session) {
		byte[] bytes = serialize(session);
		for (int attempt = 1; !this.store.create(session.id, bytes, session.now); attempt++) {
			if (attempt == MAX_ATTEMPTS) {
				throw new IllegalStateException(this.store + " refused " + attempt + " new session ids in a row");
			}
			logger.warn("Session id collision in " + this.store + "; choosing another id");
			session.id = SessionIds.generate();
			idChanged(session);
		}
		session.stored(0);
	}

	private void update(RequestSession session) {
		for (int attempt = 1;; attempt++) {
			if (this.store.update(session.id, serialize(session), session.now, session.version)) {
				session.stored(session.version + 1);
				return;
			}
			if (attempt == MAX_ATTEMPTS) {
				throw new IllegalStateException("Session " + abbreviate(session.id) + " changed concurrently "
						+ attempt + " times while this request saved it; gave up");
			}
			StoredSession current = this.store.load(session.id);
			if (current == null) {
				logger.debug("Session " + abbreviate(session.id) + " was removed while this request used it");
				session.abandonChanges();
				return;
			}
			session.rebase(current.version(), this.serializer.deserialize(current.data()));
		}
	}

	private byte[] serialize(RequestSession session) {
		byte[] bytes = this.serializer.serialize(session.data());
		if (bytes.length > this.policy.maxSizeBytes()) {
			throw new SessionTooLargeException("Session " + abbreviate(session.id) + " is " + bytes.length
					+ " bytes serialized, over session.max-size (" + DataSize.ofBytes(this.policy.maxSizeBytes())
					+ "); its largest keys: " + largestKeys(session.data()));
		}
		return bytes;
	}

	private String largestKeys(SessionData data) {
		return data.attributes()
			.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(), this.serializer
				.serialize(new SessionData(data.created(), null, Map.of(entry.getKey(), entry.getValue())))
				.length))
			.sorted(Comparator.comparing(Map.Entry<String, Integer>::getValue).reversed())
			.limit(3)
			.map((entry) -> entry.getKey() + " (" + entry.getValue() + " bytes)")
			.collect(Collectors.joining(", "));
	}

	SessionCookie.@Nullable RequestedId readCookie(HttpServletRequest request) {
		return this.cookie.readId(request);
	}

	void idChanged(RequestSession session) {
		if (session.response.isCommitted()) {
			logger.warn("Session cookie for " + session.request.getRequestURI()
					+ " could not be set: the response was already committed when the session was first written");
			return;
		}
		this.cookie.write(session.request, session.response, session.id);
	}

	void killed(RequestSession session) {
		if (!session.response.isCommitted()) {
			this.cookie.clear(session.request, session.response);
		}
	}

	private static String abbreviate(String id) {
		return id.substring(0, Math.min(8, id.length())) + "…";
	}

	private enum Outcome {

		RESTORED, NO_COOKIE, UNKNOWN, EXPIRED, IP_CHANGED, UNREADABLE

	}

}
