package io.github.webpysession.actuate;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.webpysession.store.SessionStore;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code webpySession} health contributor: UP with the store's kind and, where the
 * store counts without a scan, how many entries it holds; DOWN with the cause while
 * {@link SessionStore#check()} fails. The check runs on a thread of its own and is given
 * a deadline, so that a store that hangs (a database without a socket timeout) answers
 * DOWN in time rather than holding the health endpoint: while a check is still running,
 * the next one waits for it, never starts a second.
 */
public class SessionStoreHealthIndicator implements HealthIndicator {

	/** How long a check may take before the store counts as DOWN. */
	public static final Duration DEADLINE = Duration.ofSeconds(1);

	private final SessionStore store;

	private final Executor executor;

	private final Duration deadline;

	private final AtomicReference<CompletableFuture<Health>> running = new AtomicReference<>();

	/**
	 * @param store the store to check
	 * @param executor runs each check; a thread a hung check keeps is not given another
	 * @param deadline how long a check may take
	 */
	public SessionStoreHealthIndicator(SessionStore store, Executor executor, Duration deadline) {
		this.store = store;
		this.executor = executor;
		this.deadline = deadline;
	}

	@Override
	public Health health() {
		CompletableFuture<Health> check = this.running.updateAndGet((current) -> (current == null || current.isDone())
				? CompletableFuture.supplyAsync(this::check, this.executor) : current);
		try {
			return check.get(this.deadline.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return Health.down()
				.withDetail("store", this.store.kind())
				.withDetail("error", "timed out after " + this.deadline.toSeconds() + "s: " + this.store)
				.build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().withDetail("store", this.store.kind()).build();
		}
		catch (ExecutionException ex) {
			return Health.down(ex.getCause()).withDetail("store", this.store.kind()).build();
		}
	}

	private Health check() {
		try {
			this.store.check();
			Health.Builder up = Health.up().withDetail("store", this.store.kind());
			OptionalLong count = this.store.count();
			if (count.isPresent()) {
				up.withDetail("sessions", count.getAsLong());
			}
			return up.build();
		}
		catch (RuntimeException ex) {
			return Health.down(ex).withDetail("store", this.store.kind()).build();
		}
	}

}
