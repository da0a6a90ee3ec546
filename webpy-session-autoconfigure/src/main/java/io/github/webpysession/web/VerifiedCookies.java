package io.github.webpysession.web;

import java.security.SecureRandom;

import org.jspecify.annotations.Nullable;

/**
 * Signed cookie values whose signature {@link SessionCookie} verified lately, with what
 * reading them gave, so that the next requests of a session skip its HMAC and the SHA-256
 * of its store key: both are a pure function of the value and the keys, which never
 * change for one {@code SessionCookie} (new keys make a new one, with an empty cache).
 * <ul>
 * <li>Bounded: {@value #SLOTS} slots in pairs; a value lands in the first of its pair,
 * moving what was there to the second, so that two sessions whose values share a pair do
 * not keep pushing each other out (with one slot each, 500 sessions would share slots in
 * some 6 % of their requests, by the birthday count, each running its HMAC again).</li>
 * <li>Unfillable by forgery: a value enters only once its signature verified; a forged
 * one never does, and a client can only push out entries, which costs it a signature
 * check per request, as without the cache.</li>
 * <li>Timing tells nothing: the slot is chosen by a hash mixed with a random seed of this
 * instance, so that a client cannot aim at the slot of a value it does not know, and the
 * value found there is compared with the presented one in constant time.</li>
 * </ul>
 * Slots are written without locking: each entry is immutable, so a thread sees either a
 * whole entry or none, at worst an older one, which the comparison then refuses.
 */
final class VerifiedCookies {

	/** A power of two: some 400 bytes each when full. */
	static final int SLOTS = 4096;

	private final Entry[] entries = new Entry[SLOTS];

	private final int seed;

	private final int multiplier;

	VerifiedCookies() {
		SecureRandom random = new SecureRandom();
		this.seed = random.nextInt();
		this.multiplier = random.nextInt() | 1;
	}

	/** What reading {@code value} gave, if it was verified lately. */
	SessionCookie.@Nullable RequestedId find(String value) {
		int first = slot(value);
		SessionCookie.RequestedId found = match(this.entries[first], value);
		return (found != null) ? found : match(this.entries[first + 1], value);
	}

	/** Records that {@code value}, whose signature just verified, reads as {@code id}. */
	void remember(String value, SessionCookie.RequestedId id) {
		int first = slot(value);
		Entry previous = this.entries[first];
		if (previous != null) {
			this.entries[first + 1] = previous;
		}
		this.entries[first] = new Entry(value, id);
	}

	/** The first of the pair of slots {@code value} lands in. */
	int slot(String value) {
		int hash = (value.hashCode() ^ this.seed) * this.multiplier;
		return (hash ^ (hash >>> 16)) & (SLOTS - 2);
	}

	private static SessionCookie.@Nullable RequestedId match(@Nullable Entry entry, String value) {
		return (entry != null && equalInConstantTime(entry.value, value)) ? entry.id : null;
	}

	/** Every char compared, whatever the first difference; the length is no secret. */
	private static boolean equalInConstantTime(String known, String presented) {
		int length = known.length();
		if (presented.length() != length) {
			return false;
		}
		int difference = 0;
		for (int i = 0; i < length; i++) {
			difference |= known.charAt(i) ^ presented.charAt(i);
		}
		return difference == 0;
	}

	private record Entry(String value, SessionCookie.RequestedId id) {

	}

}
