package io.github.webpysession.metrics;

import java.util.Locale;

/**
 * The operations of a {@link io.github.webpysession.store.SessionStore} that its meters
 * and observations tell apart: the {@code operation} tag.
 */
public enum StoreOperation {

	LOAD, CREATE, UPDATE, TOUCH, DELETE, CLEANUP;

	/** The tag's value: the name in lower case. */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
