package io.github.webpysession.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionKeys;
import org.jspecify.annotations.Nullable;

/**
 * How the JDBC store's columns hold a session: data and principal names Base64-encoded
 * (so that no character set or collation matters), the principal index keyed by the
 * name's SHA-256, times as UTC timestamps to the microsecond (so that no server time zone
 * or timestamp precision matters).
 */
final class JdbcColumns {

	private JdbcColumns() {
	}

	static String encode(byte[] data) {
		return Base64.getEncoder().encodeToString(data);
	}

	static @Nullable String encodeName(@Nullable String principalName) {
		return (principalName != null) ? encode(principalName.getBytes(StandardCharsets.UTF_8)) : null;
	}

	static @Nullable String principalName(String id, @Nullable String encoded) {
		return (encoded != null) ? new String(decode(id, "principal name", encoded), StandardCharsets.UTF_8) : null;
	}

	/** The key of the index: the SHA-256 of the name's UTF-8, in lowercase hex. */
	static @Nullable String hash(@Nullable String principalName) {
		if (principalName == null) {
			return null;
		}
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(principalName.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * The bytes of a Base64 column of session {@code id}, the column named {@code what}
	 * in the exception if it is not Base64.
	 */
	static byte[] decode(String id, String what, @Nullable String text) {
		if (text == null) {
			return new byte[0];
		}
		try {
			return Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw new UnreadableSessionException(
					what + " of session " + SessionKeys.abbreviate(id) + " is not Base64: " + ex.getMessage(), ex);
		}
	}

	static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
	}

	static Instant instant(LocalDateTime utc) {
		return utc.toInstant(ZoneOffset.UTC);
	}

}
