package io.github.webpysession.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.webpysession.SessionInfo;
import io.github.webpysession.Sessions;
import io.github.webpysession.event.SessionKilledEvent;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * {@link Sessions} over the session store: what it answers is what the store holds, so
 * every instance sharing a store sees the same sessions. Expired and unreadable sessions,
 * and the markers a regenerated session leaves behind, are never answered.
 */
public class StoreSessions implements Sessions {

	private final SessionStorage storage;

	private final SessionPolicy policy;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	public StoreSessions(SessionStorage storage, SessionPolicy policy, ApplicationEventPublisher events, Clock clock) {
		this.storage = storage;
		this.policy = policy;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public List<SessionInfo> findByPrincipalName(String principalName) {
		Instant now = this.clock.instant();
		return this.storage.store()
			.findByPrincipalName(principalName)
			.stream()
			.map((stored) -> info(stored, now))
			.filter(Objects::nonNull)
			.filter((info) -> principalName.equals(info.principalName()))
			.sorted(Comparator.comparing(SessionInfo::lastAccessed).reversed())
			.toList();
	}

	@Override
	public Optional<SessionInfo> find(String id) {
		if (!SessionIds.isWellFormed(id)) {
			return Optional.empty();
		}
		StoredSession stored = this.storage.store().load(id);
		return Optional.ofNullable((stored != null) ? info(stored, this.clock.instant()) : null);
	}

	@Override
	public boolean kill(String id) {
		if (find(id).isEmpty()) {
			return false;
		}
		delete(id);
		return true;
	}

	@Override
	public int killByPrincipalName(String principalName) {
		List<SessionInfo> sessions = findByPrincipalName(principalName);
		sessions.forEach((info) -> delete(info.id()));
		return sessions.size();
	}

	private void delete(String id) {
		this.storage.store().delete(id);
		this.events.publishEvent(new SessionKilledEvent(this.storage.store(), id, this.clock));
	}

	private @Nullable SessionInfo info(StoredSession stored, Instant now) {
		if (MovedSession.target(stored.data()) != null) {
			return null;
		}
		SessionData data;
		try {
			data = this.storage.serializer().deserialize(stored.data());
		}
		catch (UnreadableSessionException ex) {
			return null;
		}
		Instant expiresAt = this.policy.expiresAt(data.created(), stored.lastAccessed());
		if (!now.isBefore(expiresAt)) {
			return null;
		}
		return new SessionInfo(stored.id(), data.principalName(), data.created(), stored.lastAccessed(), expiresAt,
				stored.data().length, data.attributes().keySet());
	}

}
