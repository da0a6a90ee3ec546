package io.github.webpysession.sample.security;

import io.github.webpysession.SessionInfo;
import jakarta.servlet.http.HttpSession;

/**
 * Tells which of a user's {@link SessionInfo sessions} is the one of this request.
 * {@link SessionInfo#id()} is the store's key, a digest, never the cookie's id that
 * {@link HttpSession#getId()} gives, so the two cannot be compared; the creation time,
 * which the store keeps and a regenerated id carries over, can. Two sessions of one user
 * created in the same millisecond are both taken for the current one, so that "log out my
 * other sessions" never logs out this one.
 */
final class CurrentSession {

	private CurrentSession() {
	}

	static boolean is(SessionInfo info, HttpSession current) {
		return info.created().toEpochMilli() == current.getCreationTime();
	}

}
