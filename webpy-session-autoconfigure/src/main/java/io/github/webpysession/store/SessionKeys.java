package io.github.webpysession.store;

/**
 * How session ids and store keys appear in logs and messages: their first characters and
 * an ellipsis, enough to tell sessions apart, never enough to present as a cookie or find
 * a file.
 */
public final class SessionKeys {

	private SessionKeys() {
	}

	/** The first eight characters of {@code key} and an ellipsis. */
	public static String abbreviate(String key) {
		return key.substring(0, Math.min(8, key.length())) + "…";
	}

}
