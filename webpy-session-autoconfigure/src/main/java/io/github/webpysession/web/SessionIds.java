package io.github.webpysession.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Session ids: 256 bits from {@link SecureRandom} as 64 lowercase hex characters, which a
 * cookie carries unquoted, a file name and a {@code CHAR(128)} column hold, and a
 * case-insensitive file system cannot confuse.
 */
public final class SessionIds {

	/** Characters in an id. */
	public static final int LENGTH = 64;

	private static final SecureRandom random = new SecureRandom();

	private static final HexFormat HEX = HexFormat.of();

	/** One per thread: a digest is not thread-safe, and looking one up costs more. */
	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(SessionIds::sha256);

	private SessionIds() {
	}

	/** A new random id. */
	public static String generate() {
		byte[] bytes = new byte[LENGTH / 2];
		random.nextBytes(bytes);
		return HEX.formatHex(bytes);
	}

	/**
	 * Whether {@code candidate} has the form of an id. Anything else from a client counts
	 * as no id at all, before any store is asked, so that no path or query is ever built
	 * from it.
	 */
	public static boolean isWellFormed(String candidate) {
		if (candidate.length() != LENGTH) {
			return false;
		}
		for (int i = 0; i < LENGTH; i++) {
			char c = candidate.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The key a store keeps the session {@code id} under: its SHA-256, as 64 lowercase
	 * hex characters. A one-way digest, so that a copy of a store (a backup, a dump, a
	 * file a curious local user reads) holds nothing a client could present as a cookie;
	 * the id's 256 random bits make it as unique as the id.
	 */
	public static String digest(String id) {
		return HEX.formatHex(SHA_256.get().digest(id.getBytes(StandardCharsets.US_ASCII)));
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
