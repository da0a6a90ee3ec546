package io.github.webpysession.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of session ids under a list of keys, as a cookie carries them
 * (unpadded base64url), with one initialized {@link Mac} per key and thread: a
 * {@code Mac} is not thread-safe, and looking one up and initializing it with its key
 * costs more than the signature itself.
 */
final class CookieSignatures {

	static final String HMAC = "HmacSHA256";

	private final List<SecretKeySpec> keys;

	private final ThreadLocal<Mac[]> macs;

	CookieSignatures(List<SecretKeySpec> keys) {
		this.keys = List.copyOf(keys);
		this.macs = ThreadLocal.withInitial(() -> new Mac[this.keys.size()]);
	}

	/**
	 * The signature of {@code id} under the key at {@code index}, in the one encoding a
	 * cookie may carry: unpadded base64url, so that a signature is checked by comparing
	 * text, and the other spellings a lenient decoder reads as the same bytes (spare low
	 * bits in the last character, padding) are refused.
	 */
	String sign(String id, int index) {
		Mac[] threadMacs = this.macs.get();
		Mac mac = threadMacs[index];
		if (mac == null) {
			mac = newMac(this.keys.get(index));
			threadMacs[index] = mac;
		}
		// doFinal leaves the Mac reset, ready for the next id
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
	}

	private static Mac newMac(SecretKeySpec key) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
