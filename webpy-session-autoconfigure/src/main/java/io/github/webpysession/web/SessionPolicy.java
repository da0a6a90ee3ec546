package io.github.webpysession.web;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * When a stored session may be used, and how it is answered otherwise: web.py's timeout,
 * ignore-expiry, ignore-change-ip and expired-message, plus an absolute lifetime, a size
 * limit, and whether the requests of one session run one at a time. Built with
 * {@link #of(Duration)} and the {@code with…} methods, each of which returns a copy.
 *
 * @param timeout idle time after which a session has expired
 * @param ignoreExpiry true: an expired or unknown session silently starts anew
 * @param ignoreChangeIp false: a session used from another client IP has expired
 * @param maxLifetime time since creation after which a session has expired, or null for
 * none
 * @param maxSizeBytes the largest serialized session a save accepts
 * @param lockTimeout how long a request waits for the other requests of its session to
 * finish, or null when they run concurrently
 * @param expiredMessage the body of the answer to an expired session
 * @param maxSessionsPerPrincipal how many live sessions one principal may have, the least
 * recently used killed at a login beyond it; null for no limit
 */
public record SessionPolicy(Duration timeout, boolean ignoreExpiry, boolean ignoreChangeIp,
		@Nullable Duration maxLifetime, long maxSizeBytes, @Nullable Duration lockTimeout, String expiredMessage,
		@Nullable Integer maxSessionsPerPrincipal) {

	/** The default {@code session.max-size}. */
	public static final long DEFAULT_MAX_SIZE_BYTES = 1024 * 1024;

	public SessionPolicy {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "session.timeout must be positive");
		Assert.isTrue(maxSizeBytes > 0, "session.max-size must be positive");
		Assert.isTrue(maxSessionsPerPrincipal == null || maxSessionsPerPrincipal > 0,
				"session.max-sessions-per-principal must be positive");
	}

	/**
	 * web.py's defaults with this timeout: expired and unknown sessions start anew, the
	 * IP may change, no lifetime limit, {@link #DEFAULT_MAX_SIZE_BYTES}, no lock.
	 */
	public static SessionPolicy of(Duration timeout) {
		return new SessionPolicy(timeout, true, true, null, DEFAULT_MAX_SIZE_BYTES, null, "Session expired", null);
	}

	public SessionPolicy withIgnoreExpiry(boolean ignoreExpiry) {
		return new SessionPolicy(this.timeout, ignoreExpiry, this.ignoreChangeIp, this.maxLifetime, this.maxSizeBytes,
				this.lockTimeout, this.expiredMessage, this.maxSessionsPerPrincipal);
	}

	public SessionPolicy withIgnoreChangeIp(boolean ignoreChangeIp) {
		return new SessionPolicy(this.timeout, this.ignoreExpiry, ignoreChangeIp, this.maxLifetime, this.maxSizeBytes,
				this.lockTimeout, this.expiredMessage, this.maxSessionsPerPrincipal);
	}

	public SessionPolicy withMaxLifetime(@Nullable Duration maxLifetime) {
		return new SessionPolicy(this.timeout, this.ignoreExpiry, this.ignoreChangeIp, maxLifetime, this.maxSizeBytes,
				this.lockTimeout, this.expiredMessage, this.maxSessionsPerPrincipal);
	}

	public SessionPolicy withMaxSizeBytes(long maxSizeBytes) {
		return new SessionPolicy(this.timeout, this.ignoreExpiry, this.ignoreChangeIp, this.maxLifetime, maxSizeBytes,
				this.lockTimeout, this.expiredMessage, this.maxSessionsPerPrincipal);
	}

	/** With a lock per session, waited for at most {@code lockTimeout}; null: no lock. */
	public SessionPolicy withLockTimeout(@Nullable Duration lockTimeout) {
		return new SessionPolicy(this.timeout, this.ignoreExpiry, this.ignoreChangeIp, this.maxLifetime,
				this.maxSizeBytes, lockTimeout, this.expiredMessage, this.maxSessionsPerPrincipal);
	}

	public SessionPolicy withExpiredMessage(String expiredMessage) {
		return new SessionPolicy(this.timeout, this.ignoreExpiry, this.ignoreChangeIp, this.maxLifetime,
				this.maxSizeBytes, this.lockTimeout, expiredMessage, this.maxSessionsPerPrincipal);
	}

	public SessionPolicy withMaxSessionsPerPrincipal(@Nullable Integer maxSessionsPerPrincipal) {
		return new SessionPolicy(this.timeout, this.ignoreExpiry, this.ignoreChangeIp, this.maxLifetime,
				this.maxSizeBytes, this.lockTimeout, this.expiredMessage, maxSessionsPerPrincipal);
	}

	/**
	 * When a session last accessed at {@code lastAccessed} and created at {@code created}
	 * expires.
	 */
	public Instant expiresAt(Instant created, Instant lastAccessed) {
		Instant idle = lastAccessed.plus(this.timeout);
		if (this.maxLifetime == null) {
			return idle;
		}
		Instant absolute = created.plus(this.maxLifetime);
		return absolute.isBefore(idle) ? absolute : idle;
	}

	/**
	 * Whether a request carrying a cookie loads its session before the handler, to answer
	 * expiry first.
	 */
	boolean judgesBeforeHandler() {
		return !this.ignoreExpiry || !this.ignoreChangeIp;
	}

	/** A read-only request writes the access time only once it is older than this. */
	Duration touchAfter() {
		// as timeout.dividedBy(4), without the BigDecimal arithmetic it does on every
		// request
		long seconds = this.timeout.getSeconds();
		return Duration.ofSeconds(seconds / 4, ((seconds % 4) * 1_000_000_000L + this.timeout.getNano()) / 4);
	}

}
