package io.github.webpysession.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

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
 * With a secret key, the cookie's value is the id, a dot, and the HMAC-SHA256 of the id
 * under that key; a cookie whose signature fails under the key and every previous key
 * counts as absent. Without one, the value is the bare random id. Values verified lately
 * are remembered ({@link VerifiedCookies}), so that a session's next requests skip the
 * HMAC and the digest of the store key.
 * <p>
 * A response carries at most one {@code Set-Cookie} of this name: setting the cookie
 * again in the same response replaces what the response already says about it, and
 * {@link #revert(HttpServletResponse)} takes it back, so that a save that failed leaves
 * the client's cookie as it was.
 */
public final class SessionCookie {

	/** The shortest secret key accepted, in bytes. */
	public static final int MIN_KEY_BYTES = 16;

	/**
	 * How many cookies of the session's name a request may carry that are tried against
	 * the store.
	 */
	static final int MAX_CANDIDATES = 3;

	/** RFC 6265's cookie-name: an RFC 7230 token. */
	private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");

	private static final String TOKEN_SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

	private final Settings settings;

	private final @Nullable SecretKeySpec signingKey;

	/** The signing key (if any) first, then the previous keys. */
	private final List<SecretKeySpec> verifyingKeys;

	private final CookieSignatures signatures;

	private final VerifiedCookies verified = new VerifiedCookies();

	/**
	 * @param settings the cookie's attributes
	 * @param secretKey the key that signs, or null for unsigned cookies
	 * @param previousSecretKeys keys that still verify but no longer sign
	 */
	public SessionCookie(Settings settings, @Nullable String secretKey, List<String> previousSecretKeys) {
		Assert.isTrue(secretKey != null || previousSecretKeys.isEmpty(),
				"session.previous-secret-keys needs session.secret-key");
		checkName(settings.name());
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
		this.signatures = new CookieSignatures(this.verifyingKeys);
	}

	private static void checkName(String name) {
		boolean token = !name.isEmpty();
		for (int i = 0; i < name.length() && token; i++) {
			char c = name.charAt(i);
			token = c > 0x20 && c < 0x7f && TOKEN_SEPARATORS.indexOf(c) < 0;
		}
		if (!token) {
			throw new IllegalArgumentException("session.cookie-name '" + name + "' is not a valid cookie name:"
					+ " use letters, digits and !#$%&'*+-.^_`|~ only (RFC 6265)");
		}
	}

	private static SecretKeySpec key(String key, String property) {
		if (UNRESOLVED_PLACEHOLDER.matcher(key).find()) {
			throw new IllegalArgumentException(property + " holds an unresolved placeholder (${...}): the variable"
					+ " it names is not set, and its literal text would sign every cookie with a key anyone can read."
					+ " Set the variable, or give " + property + " a real key of at least " + MIN_KEY_BYTES + " bytes");
		}
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_KEY_BYTES) {
			throw new IllegalArgumentException(
					property + " must be at least " + MIN_KEY_BYTES + " bytes long; a shorter key can be guessed");
		}
		return new SecretKeySpec(bytes, CookieSignatures.HMAC);
	}

	/** The cookie's attributes. */
	public Settings settings() {
		return this.settings;
	}

	/** Whether cookies are signed. */
	public boolean isSigned() {
		return this.signingKey != null;
	}

	/**
	 * The session ids that the request's cookies of the session's name carry, in their
	 * order, those only that are well-formed and, with a secret key, correctly signed; at
	 * most {@link #MAX_CANDIDATES}, without repeats. A client may carry a stale cookie
	 * beside the live one (set for another path or domain): the caller tries each, as
	 * Tomcat does. Never asks a store.
	 */
	public List<RequestedId> readIds(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return List.of();
		}
		List<RequestedId> ids = new ArrayList<>(1);
		for (Cookie cookie : cookies) {
			if (this.settings.name().equals(cookie.getName())) {
				RequestedId id = verify(cookie.getValue());
				if (id != null && !contains(ids, id)) {
					ids.add(id);
					if (ids.size() == MAX_CANDIDATES) {
						break;
					}
				}
			}
		}
		return ids;
	}

	private static boolean contains(List<RequestedId> ids, RequestedId id) {
		for (RequestedId known : ids) {
			if (known.id().equals(id.id())) {
				return true;
			}
		}
		return false;
	}

	/** The first of {@link #readIds}, or null when there is none. */
	public @Nullable RequestedId readId(HttpServletRequest request) {
		List<RequestedId> ids = readIds(request);
		return ids.isEmpty() ? null : ids.get(0);
	}

	private @Nullable RequestedId verify(@Nullable String value) {
		if (value == null) {
			return null;
		}
		if (this.verifyingKeys.isEmpty()) {
			return SessionIds.isWellFormed(value) ? new RequestedId(value, false, SessionIds.digest(value)) : null;
		}
		RequestedId known = this.verified.find(value);
		if (known != null) {
			return known;
		}
		int dot = value.indexOf('.');
		if (dot < 0) {
			return null;
		}
		String id = value.substring(0, dot);
		if (!SessionIds.isWellFormed(id)) {
			return null;
		}
		byte[] signature = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < this.verifyingKeys.size(); i++) {
			if (MessageDigest.isEqual(this.signatures.sign(id, i).getBytes(StandardCharsets.US_ASCII), signature)) {
				RequestedId verified = new RequestedId(id, this.verifyingKeys.get(i) != this.signingKey,
						SessionIds.digest(id));
				this.verified.remember(value, verified);
				return verified;
			}
		}
		return null;
	}

	/**
	 * Sets the cookie to carry {@code id}, replacing what the response said of it before.
	 */
	public void write(HttpServletRequest request, HttpServletResponse response, String id) {
		String value = (this.signingKey != null) ? id + "." + this.signatures.sign(id, 0) : id;
		ResponseCookie.ResponseCookieBuilder cookie = cookie(request, value);
		Duration maxAge = this.settings.maxAge();
		if (maxAge != null) {
			cookie.maxAge(maxAge);
		}
		replace(response, cookie.build().toString());
	}

	/** Clears the cookie in the client, replacing what the response said of it before. */
	public void clear(HttpServletRequest request, HttpServletResponse response) {
		replace(response, cookie(request, "").maxAge(0).build().toString());
	}

	/**
	 * Takes back what the response says of the cookie, so that the client keeps the one
	 * it has.
	 */
	public void revert(HttpServletResponse response) {
		replace(response, null);
	}

	/**
	 * Whether {@code write} sets a Max-Age, so that the cookie is sent again whenever the
	 * session is stored.
	 */
	public boolean hasMaxAge() {
		return this.settings.maxAge() != null;
	}

	private void replace(HttpServletResponse response, @Nullable String header) {
		if (response.isCommitted()) {
			return;
		}
		Collection<String> existing = response.getHeaders(HttpHeaders.SET_COOKIE);
		String prefix = this.settings.name() + "=";
		List<String> others = existing.stream().filter((value) -> !value.startsWith(prefix)).toList();
		if (others.size() != existing.size()) {
			response.setHeader(HttpHeaders.SET_COOKIE, null);
			others.forEach((value) -> response.addHeader(HttpHeaders.SET_COOKIE, value));
		}
		if (header != null) {
			response.addHeader(HttpHeaders.SET_COOKIE, header);
		}
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

	/**
	 * A session id as a request's cookie carries it.
	 *
	 * @param id the id
	 * @param signedWithPreviousKey whether one of the previous secret keys signed it, so
	 * that the cookie is signed again with the current key once the session proves live
	 * @param key the store key of the id, its {@link SessionIds#digest digest}
	 */
	public record RequestedId(String id, boolean signedWithPreviousKey, String key) {

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
	 * @param maxAge its Max-Age, or null for a cookie that lasts the browser session
	 */
	public record Settings(String name, @Nullable String domain, @Nullable String path, boolean httpOnly,
			boolean secure, String sameSite, @Nullable Duration maxAge) {

		/**
		 * A cookie of this name with the defaults: host-only, path "/", HttpOnly,
		 * SameSite Lax, no Max-Age.
		 */
		public static Settings named(String name) {
			return new Settings(name, null, null, true, false, "Lax", null);
		}

	}

}
