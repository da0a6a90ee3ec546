package io.github.webpysession.serializer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A compact encoding of the JDK's value types, without Java serialization: strings, boxed
 * primitives, {@code BigInteger}, {@code BigDecimal}, {@code UUID}, {@code java.time}'s
 * {@code Instant}, {@code Duration}, {@code LocalDate}, {@code LocalTime} and
 * {@code LocalDateTime}, {@code java.util.Date}, {@code byte[]}, and {@code ArrayList},
 * {@code HashSet}, {@code LinkedHashSet} and {@code HashMap} of them. Each is read back
 * as an equal value of exactly its class; any other class (a subclass included) is not
 * {@link #isCompact compact}, and is left to Java serialization.
 * <p>
 * Reading trusts nothing: every length is checked against the bytes left before anything
 * is allocated, nesting is limited to {@link JavaSessionSerializer#MAX_DEPTH} levels, and
 * whatever is malformed is an {@link UnreadableSessionException}.
 */
final class CompactValueCodec {

	private static final int NULL = CompactBytes.NULL;

	private static final int TRUE = 3;

	private static final int FALSE = 4;

	private static final int INT = 5;

	private static final int LONG = 6;

	private static final int SHORT = 7;

	private static final int BYTE = 8;

	private static final int CHAR = 9;

	private static final int DOUBLE = 10;

	private static final int FLOAT = 11;

	private static final int BIG_INTEGER = 12;

	private static final int BIG_DECIMAL = 13;

	private static final int UUID_TAG = 14;

	private static final int INSTANT = 15;

	private static final int DURATION = 16;

	private static final int LOCAL_DATE = 17;

	private static final int LOCAL_TIME = 18;

	private static final int LOCAL_DATE_TIME = 19;

	private static final int DATE = 20;

	private static final int BYTES = 21;

	private static final int ARRAY_LIST = 30;

	private static final int HASH_SET = 31;

	private static final int LINKED_HASH_SET = 32;

	private static final int HASH_MAP = 33;

	/** The classes written as themselves, holding no other value. */
	private static final Set<Class<?>> LEAVES = Set.of(String.class, Boolean.class, Integer.class, Long.class,
			Short.class, Byte.class, Character.class, Double.class, Float.class, BigInteger.class, BigDecimal.class,
			UUID.class, Instant.class, Duration.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
			Date.class, byte[].class);

	private static final Set<Class<?>> CONTAINERS = Set.of(ArrayList.class, HashSet.class, LinkedHashSet.class,
			HashMap.class);

	private CompactValueCodec() {
	}

	/**
	 * Whether {@code value}, at {@code depth} as the depth limit counts, is written by
	 * this codec and read back exactly. Each collection it holds is recorded in
	 * {@code owners} under {@code key}: a collection held twice (under two keys, or twice
	 * under one, or within itself) is not compact, since reading it back would give
	 * copies, and the key it was first seen under goes to {@code shared}.
	 */
	static boolean isCompact(@Nullable Object value, int depth, Map<Object, String> owners, String key,
			Set<String> shared) {
		if (depth > JavaSessionSerializer.MAX_DEPTH) {
			return false;
		}
		if (value == null) {
			return true;
		}
		Class<?> type = value.getClass();
		if (LEAVES.contains(type)) {
			return true;
		}
		if (!CONTAINERS.contains(type)) {
			return false;
		}
		String owner = owners.putIfAbsent(value, key);
		if (owner != null) {
			shared.add(owner);
			return false;
		}
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!isCompact(entry.getKey(), depth + 1, owners, key, shared)
						|| !isCompact(entry.getValue(), depth + 1, owners, key, shared)) {
					return false;
				}
			}
			return true;
		}
		for (Object element : (Collection<?>) value) {
			if (!isCompact(element, depth + 1, owners, key, shared)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether {@code value} is of a class written as itself, holding no other value:
	 * {@link #isCompact compact} wherever it is.
	 */
	static boolean isLeaf(@Nullable Object value) {
		return value != null && LEAVES.contains(value.getClass());
	}

	/** Writes a value that {@link #isCompact} accepted. */
	static void write(CompactBytes.Writer out, @Nullable Object value) {
		if (value == null) {
			out.u8(NULL);
		}
		else if (value instanceof String string) {
			out.string(string);
		}
		else if (value instanceof Boolean bool) {
			out.u8(bool ? TRUE : FALSE);
		}
		else if (value instanceof Integer number) {
			out.u8(INT).i32(number);
		}
		else if (value instanceof Long number) {
			out.u8(LONG).i64(number);
		}
		else if (value instanceof Short number) {
			out.u8(SHORT).i16(number);
		}
		else if (value instanceof Byte number) {
			out.u8(BYTE).u8(number);
		}
		else if (value instanceof Character c) {
			out.u8(CHAR).i16(c);
		}
		else if (value instanceof Double number) {
			out.u8(DOUBLE).i64(Double.doubleToRawLongBits(number));
		}
		else if (value instanceof Float number) {
			out.u8(FLOAT).i32(Float.floatToRawIntBits(number));
		}
		else if (value instanceof byte[] bytes) {
			out.u8(BYTES).bytes(bytes);
		}
		else if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
			writeContainer(out, value);
		}
		else {
			writeTemporalOrNumber(out, value);
		}
	}

	private static void writeContainer(CompactBytes.Writer out, Object value) {
		if (value instanceof Map<?, ?> map) {
			out.u8(HASH_MAP).varint(map.size());
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				write(out, entry.getKey());
				write(out, entry.getValue());
			}
			return;
		}
		Collection<?> collection = (Collection<?>) value;
		int tag = (value instanceof ArrayList) ? ARRAY_LIST
				: (value instanceof LinkedHashSet) ? LINKED_HASH_SET : HASH_SET;
		out.u8(tag).varint(collection.size());
		for (Object element : collection) {
			write(out, element);
		}
	}

	private static void writeTemporalOrNumber(CompactBytes.Writer out, Object value) {
		if (value instanceof BigInteger number) {
			out.u8(BIG_INTEGER).bytes(number.toByteArray());
		}
		else if (value instanceof BigDecimal number) {
			out.u8(BIG_DECIMAL).i32(number.scale()).bytes(number.unscaledValue().toByteArray());
		}
		else if (value instanceof UUID uuid) {
			out.u8(UUID_TAG).i64(uuid.getMostSignificantBits()).i64(uuid.getLeastSignificantBits());
		}
		else if (value instanceof Instant instant) {
			out.u8(INSTANT).i64(instant.getEpochSecond()).i32(instant.getNano());
		}
		else if (value instanceof Duration duration) {
			out.u8(DURATION).i64(duration.getSeconds()).i32(duration.getNano());
		}
		else if (value instanceof LocalDate date) {
			out.u8(LOCAL_DATE).i64(date.toEpochDay());
		}
		else if (value instanceof LocalTime time) {
			out.u8(LOCAL_TIME).i64(time.toNanoOfDay());
		}
		else if (value instanceof LocalDateTime dateTime) {
			out.u8(LOCAL_DATE_TIME).i64(dateTime.toLocalDate().toEpochDay()).i64(dateTime.toLocalTime().toNanoOfDay());
		}
		else if (value instanceof Date date) {
			out.u8(DATE).i64(date.getTime());
		}
		else {
			throw new IllegalStateException(value.getClass().getName() + " is not written by CompactValueCodec");
		}
	}

	/**
	 * Reads one value at {@code depth}.
	 * @throws UnreadableSessionException if the bytes are not a value of this codec
	 * @throws RuntimeException if a value is out of its range (a date's, say)
	 */
	static @Nullable Object read(CompactBytes.Reader in, int depth) {
		if (depth > JavaSessionSerializer.MAX_DEPTH) {
			throw new UnreadableSessionException(
					"session data nests deeper than " + JavaSessionSerializer.MAX_DEPTH + " levels");
		}
		int tag = in.u8();
		return switch (tag) {
			case NULL -> null;
			case CompactBytes.LATIN1, CompactBytes.UTF16 -> in.string(tag);
			case TRUE -> Boolean.TRUE;
			case FALSE -> Boolean.FALSE;
			case INT -> in.i32();
			case LONG -> in.i64();
			case SHORT -> (short) in.i16();
			case BYTE -> (byte) in.u8();
			case CHAR -> (char) in.i16();
			case DOUBLE -> Double.longBitsToDouble(in.i64());
			case FLOAT -> Float.intBitsToFloat(in.i32());
			case BIG_INTEGER -> new BigInteger(in.bytes());
			case BIG_DECIMAL -> readBigDecimal(in);
			case UUID_TAG -> new UUID(in.i64(), in.i64());
			case INSTANT -> Instant.ofEpochSecond(in.i64(), in.i32());
			case DURATION -> Duration.ofSeconds(in.i64(), in.i32());
			case LOCAL_DATE -> LocalDate.ofEpochDay(in.i64());
			case LOCAL_TIME -> LocalTime.ofNanoOfDay(in.i64());
			case LOCAL_DATE_TIME -> LocalDateTime.of(LocalDate.ofEpochDay(in.i64()), LocalTime.ofNanoOfDay(in.i64()));
			case DATE -> new Date(in.i64());
			case BYTES -> in.bytes();
			case ARRAY_LIST -> readList(in, depth);
			case HASH_SET -> readSet(in, false, depth);
			case LINKED_HASH_SET -> readSet(in, true, depth);
			case HASH_MAP -> readMap(in, depth);
			default -> throw new UnreadableSessionException("session data holds an unknown value tag " + tag);
		};
	}

	private static BigDecimal readBigDecimal(CompactBytes.Reader in) {
		int scale = in.i32();
		return new BigDecimal(new BigInteger(in.bytes()), scale);
	}

	private static Set<Object> readSet(CompactBytes.Reader in, boolean linked, int depth) {
		int count = in.count(1);
		Set<Object> set = linked ? new LinkedHashSet<>(capacity(count)) : new HashSet<>(capacity(count));
		for (int i = 0; i < count; i++) {
			set.add(read(in, depth + 1));
		}
		return set;
	}

	private static List<Object> readList(CompactBytes.Reader in, int depth) {
		int count = in.count(1);
		List<Object> list = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			list.add(read(in, depth + 1));
		}
		return list;
	}

	private static Map<Object, Object> readMap(CompactBytes.Reader in, int depth) {
		int count = in.count(2);
		Map<Object, Object> map = new HashMap<>(capacity(count));
		for (int i = 0; i < count; i++) {
			map.put(read(in, depth + 1), read(in, depth + 1));
		}
		return map;
	}

	/** A hash table's capacity for {@code count} entries at the default load factor. */
	static int capacity(int count) {
		return (int) Math.min(1L << 30, (count * 4L) / 3 + 1);
	}

}
