package io.github.webpysession.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * Something that makes a session store fail, on demand, the way its storage fails in
 * production: a database cut off, a disk full or read-only. Tests start it in the middle
 * of a request and stop it to see the application recover by itself.
 */
public interface StoreFault {

	/** From now on, every operation of the store fails. */
	void start();

	/**
	 * The store's storage works again; returns once a new operation would reach it.
	 * Stopping a fault that was not started does nothing.
	 */
	void stop();

	/**
	 * A fault this store cannot be given yet: a test that starts it is skipped, saying
	 * why.
	 * @param why what the fault needs, for the skip message
	 */
	static StoreFault unavailable(String why) {
		return new StoreFault() {

			@Override
			public void start() {
				Assumptions.abort("No fault for this store: " + why);
			}

			@Override
			public void stop() {
			}

		};
	}

}
