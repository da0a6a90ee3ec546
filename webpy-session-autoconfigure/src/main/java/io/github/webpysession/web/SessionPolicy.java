package io.github.webpysession.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * When a stored session may be used: web.py's timeout, ignore-expiry and ignore-change-ip, plus an
 * absolute lifetime, a size limit, and whether the requests of one session run one at a time.
 *
 * @param timeout idle time after which a session has expired
 * @param ignoreExpiry true: an expired or unknown session silently starts anew
 * @param ignoreChangeIp false: a session used from another client IP has expired
 * @param maxLifetime time since creation after which a session has expired, or null for none
 * @param maxSizeBytes the largest serialized session a save accepts
 * @param lockTimeout how long a request waits for the other requests of its session to finish,
 * or null when they run concurrently
 */
public record SessionPolicy(Duration timeout, boolean ignoreExpiry, boolean ignoreChangeIp,
		@Nullable Duration maxLifetime, long maxSizeBytes, @Nullable Duration lockTimeout) {

	/** A read-only request writes the access time only once it is older than this. */
	Duration touchAfter() {
		return this.timeout.dividedBy(4);
	}

}
