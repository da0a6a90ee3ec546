package io.github.webpysession.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.testsupport.gadget.Gadget;
import io.github.webpysession.testsupport.hostile.FailingReadObject;
import io.github.webpysession.testsupport.hostile.FailingReadResolve;
import org.jspecify.annotations.Nullable;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Hostile session data, as a store holds it in {@code StoredSession.data()}: bytes in the
 * format that {@link JavaSessionSerializer} writes, forged as data tampered with or
 * corrupted at rest would be. Write them straight into a store (a new array on every
 * call): the next request of that session must get a fresh session and one warning, never
 * a 5xx.
 * <p>
 * Every payload but {@link #valid()}, {@link #bitFlipped(int, int)} and
 * {@link #deeplyNested} within the depth limit is unreadable to any
 * {@code JavaSessionSerializer} whose {@code session.allowed-classes} does not allow
 * {@code io.github.webpysession.testsupport.gadget}. {@link #failingReadObject()} and
 * {@link #failingReadResolve()} fail in their classes' own code only where
 * {@link #ALLOWED_CLASSES} is allowed; elsewhere the allow-list refuses them first.
 */
public final class HostileBytes {

	/**
	 * Add to {@code session.allowed-classes} so that the failing value classes are
	 * instantiated.
	 */
	public static final String ALLOWED_CLASSES = "io.github.webpysession.testsupport.hostile.*";

	/** When the session of every payload started. */
	public static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

	/** The client address of every payload. */
	public static final String IP = "10.0.0.1";

	private static final int FORMAT = 1;

	private HostileBytes() {
	}

	/** What {@link #valid()} holds: one value of each common kind, in a fixed order. */
	public static Map<String, Object> validAttributes() {
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("name", "alice");
		attributes.put("count", 3);
		attributes.put("price", new BigDecimal("9.99"));
		attributes.put("day", LocalDate.of(2026, 1, 2));
		attributes.put("roles", new ArrayList<>(List.of("admin", "user")));
		attributes.put("bytes", new byte[] { 1, 2, 3 });
		return attributes;
	}

	/**
	 * A readable session holding {@link #validAttributes()}: the base of the forgeries.
	 */
	public static byte[] valid() {
		return Valid.BYTES.clone();
	}

	/**
	 * Session data in the stored format holding whatever is given, unchecked, as a forger
	 * writes it: the format number, the creation time, the client address, the attribute
	 * map.
	 */
	public static byte[] write(Instant created, @Nullable Object ip, @Nullable Object attributes) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeInt(FORMAT);
			out.writeLong(created.toEpochMilli());
			out.writeObject(ip);
			out.writeObject(attributes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** {@link #valid()} cut in half, as a write interrupted half-way leaves it. */
	public static byte[] truncated() {
		byte[] valid = valid();
		return Arrays.copyOf(valid, valid.length / 2);
	}

	/**
	 * {@link #valid()} with one bit flipped in the serialVersionUID of its HashMap:
	 * unreadable.
	 */
	public static byte[] bitFlipped() {
		byte[] bytes = valid();
		bytes[indexOf(bytes, "java.util.HashMap".getBytes(US_ASCII)) + "java.util.HashMap".length()] ^= 1;
		return bytes;
	}

	/**
	 * {@link #valid()} with one bit flipped: readable or not, depending on where.
	 * @param index which byte, below {@code valid().length}
	 * @param bit which bit of it, 0 to 7
	 */
	public static byte[] bitFlipped(int index, int bit) {
		byte[] bytes = valid();
		bytes[index] ^= (byte) (1 << bit);
		return bytes;
	}

	/**
	 * A session whose key {@code nested} holds lists nested {@code depth} deep (1: an
	 * empty list). As the {@link java.io.ObjectInputFilter} counts, the attribute map is
	 * level 1 and the innermost list level {@code depth + 1}: readable up to a depth of
	 * {@code JavaSessionSerializer.MAX_DEPTH - 1}, unreadable beyond.
	 */
	public static byte[] deeplyNested(int depth) {
		List<Object> nested = new ArrayList<>();
		for (int level = 1; level < depth; level++) {
			List<Object> outer = new ArrayList<>();
			outer.add(nested);
			nested = outer;
		}
		Map<String, Object> attributes = Map.of("nested", nested);
		// writing recurses once per level: give it a stack to match
		AtomicReference<byte[]> written = new AtomicReference<>();
		Thread writer = new Thread(null, () -> written.set(write(CREATED, IP, attributes)), "deeplyNested",
				256L * 1024 * 1024);
		writer.start();
		try {
			writer.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return written.get();
	}

	/** A session holding a {@link Gadget}, a class outside every test's allow-list. */
	public static byte[] foreignClass() {
		return withValue("gadget", new Gadget());
	}

	/**
	 * A session holding a {@link FailingReadObject}: its {@code readObject} throws
	 * IllegalStateException.
	 */
	public static byte[] failingReadObject() {
		return withValue("setting", new FailingReadObject());
	}

	/**
	 * A session holding a {@link FailingReadResolve}: its proxy's readResolve throws
	 * IllegalArgumentException.
	 */
	public static byte[] failingReadResolve() {
		return withValue("limit", new FailingReadResolve());
	}

	/**
	 * {@link #valid()} with the month of its LocalDate made 13: reading it throws
	 * DateTimeException.
	 */
	public static byte[] corruptLocalDate() {
		byte[] bytes = valid();
		// java.time.Ser's external form of LocalDate.of(2026, 1, 2): type 3, year, month,
		// day
		bytes[indexOf(bytes, new byte[] { 3, 0, 0, 0x07, (byte) 0xEA, 1, 2 }) + 5] = 13;
		return bytes;
	}

	/**
	 * {@link #valid()} with the length of its {@code byte[]} forged to 2^31 - 16, with no
	 * bytes to back it.
	 */
	public static byte[] hugeArrayLength() {
		byte[] bytes = valid();
		int at = indexOf(bytes, new byte[] { 0, 0, 0, 3, 1, 2, 3 });
		bytes[at] = 0x7F;
		bytes[at + 1] = (byte) 0xFF;
		bytes[at + 2] = (byte) 0xFF;
		bytes[at + 3] = (byte) 0xF0;
		return Arrays.copyOf(bytes, at + 4);
	}

	/**
	 * A session holding a set of a list that holds itself: hashing the list as the set is
	 * read recurses without end, a StackOverflowError that no depth limit prevents.
	 */
	public static byte[] selfContainingList() {
		List<Object> list = new ArrayList<>();
		Set<Object> set = new HashSet<>();
		set.add(list);
		list.add(list);
		return withValue("cycle", set);
	}

	/** A session whose attribute map is keyed by an Integer, not a String. */
	public static byte[] nonStringKey() {
		return write(CREATED, IP, new HashMap<>(Map.of(42, "answer")));
	}

	private static byte[] withValue(String key, Object value) {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("name", "alice");
		attributes.put(key, value);
		return write(CREATED, IP, attributes);
	}

	private static final class Valid {

		static final byte[] BYTES = write(CREATED, IP, validAttributes());

	}

	/** Where the pattern occurs, once, in the bytes. */
	private static int indexOf(byte[] bytes, byte[] pattern) {
		int found = -1;
		for (int at = 0; at + pattern.length <= bytes.length; at++) {
			if (Arrays.equals(bytes, at, at + pattern.length, pattern, 0, pattern.length)) {
				if (found >= 0) {
					throw new IllegalStateException("pattern occurs twice: the forgery would be ambiguous");
				}
				found = at;
			}
		}
		if (found < 0) {
			throw new IllegalStateException("pattern not found: the stored format has changed");
		}
		return found;
	}

}
