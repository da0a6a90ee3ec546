package io.github.webpysession.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A fixed set of locks that sessions share by the hash of their id, so that stores
 * without an atomic compare-and-set of their own make {@link SessionStore#update} atomic
 * within this JVM without one lock object per session.
 */
public final class StripedLocks {

	private final ReentrantLock[] locks;

	public StripedLocks(int stripes) {
		this.locks = new ReentrantLock[stripes];
		for (int i = 0; i < stripes; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	/**
	 * Runs {@code action} holding the lock of {@code id}, and returns what it returns.
	 */
	public <T> T withLock(String id, Supplier<T> action) {
		ReentrantLock lock = this.locks[Math.floorMod(id.hashCode(), this.locks.length)];
		lock.lock();
		try {
			return action.get();
		}
		finally {
			lock.unlock();
		}
	}

}
