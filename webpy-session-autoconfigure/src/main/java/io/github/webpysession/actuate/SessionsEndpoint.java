package io.github.webpysession.actuate;

import java.util.List;

import io.github.webpysession.SessionInfo;
import io.github.webpysession.Sessions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code webpysessions} endpoint: finds and kills sessions through {@link Sessions}.
 * A session is named by {@link SessionInfo#id()}, the digest the store keeps, never the
 * cookie's value, and is shown by its attribute names and size, never its values. Exposed
 * only where the application exposes it, as every endpoint
 * ({@code management.endpoints.web.exposure.include}).
 */
@Endpoint(id = "webpysessions")
public class SessionsEndpoint {

	private final Sessions sessions;

	public SessionsEndpoint(Sessions sessions) {
		this.sessions = sessions;
	}

	/** The live sessions of {@code principal}, most recently used first. */
	@ReadOperation
	public SessionsDescriptor sessionsOf(String principal) {
		return new SessionsDescriptor(this.sessions.findByPrincipalName(principal));
	}

	/** The live session {@code id}, or null (404) when there is none. */
	@ReadOperation
	public @Nullable SessionInfo session(@Selector String id) {
		return this.sessions.find(id).orElse(null);
	}

	/** Kills the session {@code id}; killing one that is gone is not an error. */
	@DeleteOperation
	public void kill(@Selector String id) {
		this.sessions.kill(id);
	}

	/** Kills every session of {@code principal}: logs them out everywhere. */
	@DeleteOperation
	public void killAllOf(String principal) {
		this.sessions.killByPrincipalName(principal);
	}

	/**
	 * The answer of a search by principal.
	 *
	 * @param sessions the sessions found
	 */
	public record SessionsDescriptor(List<SessionInfo> sessions) {

	}

}
