package io.github.webpysession.promises;

/**
 * The operations of the {@link io.github.webpysession.store.SessionStore} SPI, for faults
 * aimed at one of them.
 */
public enum StoreOperation {

	LOAD, CREATE, UPDATE, TOUCH, DELETE, CLEANUP

}
