package io.github.webpysession.promises;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.github.webpysession.testsupport.HostileBytes;

/**
 * Session data at rest that no request should ever have to answer with a 5xx, as a store
 * would hand it back: the forgeries of {@link HostileBytes}, and three that it has no
 * payload for (random bytes, nothing at all, a class of the application gone since it was
 * stored). The failing value classes run their own code only where
 * {@link HostileBytes#ALLOWED_CLASSES} is allowed, as {@link SessionPromisesFixture}
 * allows it.
 */
enum HostileSessionData {

	/** The second half is missing, as after a torn write. */
	TRUNCATED(HostileBytes::truncated),

	/** One bit flipped, in the serial version of {@code java.util.HashMap}. */
	BIT_FLIPPED(HostileBytes::bitFlipped),

	/**
	 * A list nested deeper than a request thread's stack can read back (the issue saw it
	 * at about 600).
	 */
	DEEPLY_NESTED(() -> HostileBytes.deeplyNested(3000)),

	/** A value of a class outside the allow-list. */
	FOREIGN_CLASS(HostileBytes::foreignClass),

	/** A value whose {@code readObject} throws an unchecked exception. */
	FAILING_READ_OBJECT(HostileBytes::failingReadObject),

	/**
	 * A serialization proxy whose {@code readResolve} validates and throws, as after a
	 * configuration change.
	 */
	FAILING_READ_RESOLVE(HostileBytes::failingReadResolve),

	/**
	 * A {@code LocalDate} whose stored month is 13: the JDK throws
	 * {@code DateTimeException} reading it.
	 */
	CORRUPT_LOCAL_DATE(HostileBytes::corruptLocalDate),

	/** A {@code byte[]} claiming 2^31 - 16 bytes it does not have. */
	HUGE_ARRAY_LENGTH(HostileBytes::hugeArrayLength),

	/**
	 * A set of a list that holds itself: hashing it while reading recurses without end.
	 */
	SELF_CONTAINING_LIST(HostileBytes::selfContainingList),

	/** An attribute map keyed by an Integer. */
	NON_STRING_KEY(HostileBytes::nonStringKey),

	/** Not serialized data at all. */
	RANDOM_BYTES(() -> {
		byte[] bytes = new byte[512];
		new Random(9).nextBytes(bytes);
		return bytes;
	}),

	/** Nothing. */
	EMPTY(() -> new byte[0]),

	/**
	 * A value of the application's own, allowed, package whose class is gone, as after a
	 * redeploy.
	 */
	REMOVED_CLASS(() -> {
		Map<String, Object> attributes = new HashMap<>(HostileBytes.validAttributes());
		attributes.put("removed", new RemovedLater());
		byte[] bytes = HostileBytes.write(HostileBytes.CREATED, HostileBytes.IP, attributes);
		byte[] name = RemovedLater.class.getName().getBytes(StandardCharsets.UTF_8);
		bytes[indexOf(bytes, name) + name.length - 1] = 'X';
		return bytes;
	});

	private final Supplier<byte[]> bytes;

	HostileSessionData(Supplier<byte[]> bytes) {
		this.bytes = bytes;
	}

	/** The payload, as the store would return it for a session. */
	byte[] bytes() {
		return this.bytes.get();
	}

	private static int indexOf(byte[] bytes, byte[] part) {
		for (int at = 0; at + part.length <= bytes.length; at++) {
			if (Arrays.equals(bytes, at, at + part.length, part, 0, part.length)) {
				return at;
			}
		}
		throw new IllegalStateException("Serialized form not as expected: " + new String(part, StandardCharsets.UTF_8));
	}

	/** A value class of the application whose name is changed in the stored bytes. */
	static final class RemovedLater implements Serializable {

		private static final long serialVersionUID = 1L;

	}

}
