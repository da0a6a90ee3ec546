package io.github.webpysession.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The cookie that carries the session id: how it is read from a request and written to a
 * response.
 * <p>
 * With a secret key, the cookie's value is the id, a dot, and the HMAC-SHA256 of the id under
 * that key; a cookie whose signature fails under the key and every previous key counts as absent.
 * Without one, the value is the bare random id.
 */
public final class SessionCookie {

	/** The shortest secret key accepted, in bytes. */
	public static final int MIN_KEY_BYTES = 16;

	private static final String HMAC = "HmacSHA256";

	private final Settings settings;

	private final @Nullable SecretKeySpec signingKey;

	private final List<SecretKeySpec> verifyingKeys;

	/**
	 * @param settings the cookie's attributes
	 * @param secretKey the key that signs, or null for unsigned cookies
	 * @param previousSecretKeys keys that still verify but no longer sign
	 */
	public SessionCookie(Settings settings, @Nullable String secretKey, List<String> previousSecretKeys) {
		Assert.isTrue(secretKey != null || previousSecretKeys.isEmpty(),
				"session.previous-secret-keys needs session.secret-key");
		this.settings = settings;
		this.signingKey = (secretKey != null) ? key(secretKey, "session.secret-key") : null;
		List<SecretKeySpec> keys = new ArrayList<>();
		if (this.signingKey != null) {
			keys.add(this.signingKey);
		}
		for (String previous : previousSecretKeys) {
			keys.add(key(previous, "session.previous-secret-keys"));
		}
		this.verifyingKeys = List.copyOf(keys);
	}

	private static SecretKeySpec key(String key, String property) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_KEY_BYTES) {
			throw new IllegalArgumentException(property + " must be at least " + MIN_KEY_BYTES
					+ " bytes long; a shorter key can be guessed");
		}
		return new SecretKeySpec(bytes, HMAC);
	}

	/** Whether cookies are signed. */
	public boolean isSigned() {
		return this.signingKey != null;
	}

	/**
	 * The session id that the request's cookie carries, or null when it carries none that is
	 * well-formed and, with a secret key, correctly signed. Never asks a store.
	 */
	public @Nullable RequestedId readId(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (Cookie cookie : cookies) {
			if (this.settings.name().equals(cookie.getName())) {
				RequestedId id = verify(cookie.getValue());
				if (id != null) {
					return id;
				}
			}
		}
		return null;
	}

	private @Nullable RequestedId verify(@Nullable String value) {
		if (value == null) {
			return null;
		}
		if (this.verifyingKeys.isEmpty()) {
			return SessionIds.isWellFormed(value) ? new RequestedId(value, false) : null;
		}
		int dot = value.indexOf('.');
		if (dot < 0) {
			return null;
		}
		String id = value.substring(0, dot);
		if (!SessionIds.isWellFormed(id)) {
			return null;
		}
		byte[] signature;
		try {
			signature = Base64.getUrlDecoder().decode(value.substring(dot + 1));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		for (SecretKeySpec key : this.verifyingKeys) {
			if (MessageDigest.isEqual(sign(id, key), signature)) {
				return new RequestedId(id, key != this.signingKey);
			}
		}
		return null;
	}

	/** Sets the cookie to carry {@code id}. */
	public void write(HttpServletRequest request, HttpServletResponse response, String id) {
		String value = (this.signingKey != null)
				? id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(id, this.signingKey)) : id;
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, value).build().toString());
	}

	/** Clears the cookie in the client. */
	public void clear(HttpServletRequest request, HttpServletResponse response) {
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, "").maxAge(0).build().toString());
	}

	private ResponseCookie.ResponseCookieBuilder cookie(HttpServletRequest request, String value) {
		String path = this.settings.path();
		if (!StringUtils.hasText(path)) {
			path = StringUtils.hasText(request.getContextPath()) ? request.getContextPath() : "/";
		}
		return ResponseCookie.from(this.settings.name(), value)
			.domain(this.settings.domain())
			.path(path)
			.httpOnly(this.settings.httpOnly())
			.secure(this.settings.secure())
			.sameSite(this.settings.sameSite());
	}

	private static byte[] sign(String id, SecretKeySpec key) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(key);
			return mac.doFinal(id.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	/**
	 * A session id as a request's cookie carries it.
	 *
	 * @param id the id
	 * @param signedWithPreviousKey whether one of the previous secret keys signed it, so that the
	 * cookie is signed again with the current key once the session proves live
	 */
	public record RequestedId(String id, boolean signedWithPreviousKey) {

	}

	/**
	 * The cookie's attributes.
	 *
	 * @param name the cookie's name
	 * @param domain its Domain, or null for the host that set it
	 * @param path its Path, or null for the servlet context path ("/" when there is none)
	 * @param httpOnly whether it is hidden from scripts
	 * @param secure whether it is sent over HTTPS only
	 * @param sameSite its SameSite: Strict, Lax or None
	 */
	public record Settings(String name, @Nullable String domain, @Nullable String path, boolean httpOnly,
			boolean secure, String sameSite) {

	}

}
