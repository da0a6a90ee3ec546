package io.github.webpysession.store;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.event.SessionsCleanedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Removes expired sessions from a store on a background thread at a fixed interval, never
 * inside a request: web.py's cleanup, off the request path. Expiry does not depend on it,
 * since a session is judged when it is loaded; it only reclaims space. A failed run is
 * logged and the next one tries again. It starts and stops with the application context.
 * A run that removed sessions is published as a {@link SessionsCleanedEvent}.
 */
public class SessionStoreCleaner implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SessionStoreCleaner.class);

	private final SessionStore store;

	private final Duration timeout;

	private final Duration interval;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private @Nullable ScheduledExecutorService executor;

	public SessionStoreCleaner(SessionStore store, Duration timeout, Duration interval, Clock clock,
			ApplicationEventPublisher events) {
		this.store = store;
		this.timeout = timeout;
		this.interval = interval;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Removes the sessions unused for longer than the timeout now.
	 * @return how many were removed
	 */
	public int cleanup() {
		int removed = this.store.deleteAccessedBefore(this.clock.instant().minus(this.timeout));
		if (removed > 0) {
			logger.debug("Removed " + removed + " expired sessions from " + this.store);
			this.events.publishEvent(new SessionsCleanedEvent(this.store, removed, this.clock));
		}
		return removed;
	}

	private void runScheduled() {
		try {
			cleanup();
		}
		catch (RuntimeException ex) {
			if (Thread.currentThread().isInterrupted()) {
				// stop() interrupted it: a store reading a file then fails with
				// ClosedByInterruptException, which is no fault of the store
				logger.debug("Cleanup of expired sessions in " + this.store + " stopped by the application's shutdown",
						ex);
				return;
			}
			logger.error("Cleanup of expired sessions in " + this.store + " failed; retrying in " + this.interval, ex);
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "session-cleanup");
				thread.setDaemon(true);
				thread.setPriority(Thread.MIN_PRIORITY);
				return thread;
			});
			long millis = this.interval.toMillis();
			this.executor.scheduleWithFixedDelay(this::runScheduled, millis, millis, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			try {
				this.executor.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
