package io.github.webpysession.serializer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.github.webpysession.serializer.reload.Cart;
import io.github.webpysession.testsupport.HostileBytes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Format 3: the JDK's value types in a compact form, read back as exactly their classes
 * without Java serialization; other values Java-serialized beside them, through the
 * allow-list; and hostile bytes of this format as unreadable as those of the old one.
 */
class CompactSessionFormatTests {

	private static final Instant CREATED = HostileBytes.CREATED;

	private final JavaSessionSerializer serializer = new JavaSessionSerializer(getClass().getClassLoader(),
			List.of("io.github.webpysession.serializer.reload.*"));

	private Map<String, Object> roundTrip(Map<String, Object> attributes) {
		return this.serializer.deserialize(this.serializer.serialize(new SessionData(CREATED, "10.0.0.1", attributes)))
			.attributes();
	}

	@Test
	void everyJdkValueTypeReadsBackEqualAndOfExactlyItsClass() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("string", "alice");
		attributes.put("empty", "");
		attributes.put("unicode", "名前 😀 Ωmega");
		attributes.put("loneSurrogate", "a\uD800b");
		attributes.put("true", true);
		attributes.put("int", -7);
		attributes.put("long", Long.MIN_VALUE);
		attributes.put("short", (short) -2);
		attributes.put("byte", (byte) -1);
		attributes.put("char", 'é');
		attributes.put("double", -0.0);
		attributes.put("float", Float.NaN);
		attributes.put("bigInteger", new BigInteger("-123456789012345678901234567890"));
		attributes.put("bigDecimal", new BigDecimal("-9.990"));
		attributes.put("uuid", UUID.randomUUID());
		attributes.put("instant", Instant.parse("2026-01-01T10:00:00.123456789Z"));
		attributes.put("duration", Duration.ofSeconds(-5, 7));
		attributes.put("date", LocalDate.of(2026, 1, 2));
		attributes.put("time", LocalTime.of(23, 59, 59, 999_999_999));
		attributes.put("dateTime", LocalDateTime.of(2026, 1, 2, 3, 4));
		attributes.put("utilDate", new Date(1_700_000_000_123L));

		Map<String, Object> read = roundTrip(attributes);

		assertThat(read).isEqualTo(attributes);
		attributes.forEach((key, value) -> assertThat(read.get(key)).as(key).hasSameClassAs(value));
	}

	@Test
	void collectionsReadBackAsTheirClassesWithTheirOrderAndNulls() {
		List<Object> list = new ArrayList<>(Arrays.asList("b", null, 1, List.of()));
		list.set(3, new ArrayList<>(List.of(new HashSet<>(Set.of(1, 2)))));
		Set<String> linked = new LinkedHashSet<>(List.of("z", "a", "m"));
		Map<Object, Object> map = new HashMap<>();
		map.put("k", null);
		map.put(3, new byte[] { 1, 2 });

		Map<String, Object> read = roundTrip(
				Map.of("list", list, "linked", linked, "map", map, "set", new HashSet<>(Set.of("x", "y"))));

		assertThat(read.get("list")).isInstanceOf(ArrayList.class).isEqualTo(list);
		assertThat(read.get("linked")).isInstanceOf(LinkedHashSet.class);
		assertThat(new ArrayList<>((Set<?>) read.get("linked"))).isEqualTo(List.of("z", "a", "m"));
		assertThat(read.get("set")).isInstanceOf(HashSet.class).isEqualTo(Set.of("x", "y"));
		assertThat(read.get("map")).isInstanceOf(HashMap.class);
		assertThat(((Map<?, ?>) read.get("map")).containsKey("k")).isTrue();
		assertThat((byte[]) ((Map<?, ?>) read.get("map")).get(3)).containsExactly(1, 2);
	}

	@Test
	void jdkValuesAreWrittenWithoutJavaSerialization() {
		byte[] bytes = this.serializer.serialize(new SessionData(CREATED, "10.0.0.1", "alice",
				Map.of("count", 3, "roles", new ArrayList<>(List.of("admin")))));

		assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("java.").startsWith("WS\u0003");
	}

	@Test
	void otherClassesAreJavaSerializedBesideTheCompactValues() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("count", 3);
		attributes.put("cart", new Cart(2));
		attributes.put("ordered", new LinkedHashMap<>(Map.of("a", 1)));
		attributes.put("sorted", new TreeMap<>(Map.of("b", 2, "a", 1)));
		attributes.put("fixed", List.of("x"));
		attributes.put("unmodifiable", Collections.unmodifiableList(new ArrayList<>(List.of("y"))));

		Map<String, Object> read = roundTrip(attributes);

		assertThat(read.get("count")).isEqualTo(3);
		assertThat(((Cart) read.get("cart")).items()).isEqualTo(2);
		attributes.forEach((key, value) -> assertThat(read.get(key)).as(key).hasSameClassAs(value));
	}

	@Test
	void aCollectionHeldUnderTwoKeysIsStillOneCollectionWhenRead() {
		List<String> shared = new ArrayList<>(List.of("a"));
		Map<String, Object> read = roundTrip(Map.of("one", shared, "two", shared, "other", new ArrayList<>()));

		assertThat(read.get("one")).isSameAs(read.get("two")).isEqualTo(List.of("a"));
	}

	@Test
	void aListHoldingItselfReadsBackHoldingItself() {
		List<Object> cycle = new ArrayList<>();
		cycle.add(cycle);

		List<?> read = (List<?>) roundTrip(Map.of("cycle", cycle)).get("cycle");

		assertThat(read.get(0)).isSameAs(read);
	}

	@Test
	void theDeepestCompactValueReadsBackAndOneLevelDeeperIsRefusedWhenPut() {
		assertThat(roundTrip(Map.of("nested", nested(JavaSessionSerializer.MAX_DEPTH - 1)))).containsKey("nested");

		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer
				.serialize(new SessionData(CREATED, null, Map.of("nested", nested(JavaSessionSerializer.MAX_DEPTH)))))
			.withMessageContaining("nests deeper than");
	}

	/** Lists {@code depth} deep: the innermost, empty, at level {@code depth + 1}. */
	private static List<Object> nested(int depth) {
		List<Object> nested = new ArrayList<>();
		for (int level = 1; level < depth; level++) {
			nested = new ArrayList<>(List.of(nested));
		}
		return nested;
	}

	// Hostile bytes of format 3

	private byte[] valid() {
		Map<String, Object> attributes = new HashMap<>(HostileBytes.validAttributes());
		attributes.put("cart", new Cart(1));
		attributes.put("when", new HashMap<>(Map.of("day", LocalDate.of(2026, 1, 2), "at", Instant.EPOCH)));
		return this.serializer.serialize(new SessionData(CREATED, HostileBytes.IP, "alice", attributes));
	}

	@Test
	void compactDataCutAtAnyLengthIsUnreadable() {
		byte[] valid = valid();
		for (int length = 0; length < valid.length; length++) {
			byte[] truncated = Arrays.copyOf(valid, length);
			assertThatExceptionOfType(UnreadableSessionException.class).as("cut to %d bytes", length)
				.isThrownBy(() -> this.serializer.deserialize(truncated));
		}
	}

	@Test
	void everySingleBitFlipOfCompactDataGivesAReadableSessionOrUnreadableSessionException() {
		byte[] valid = valid();
		int unreadable = 0;
		for (int index = 0; index < valid.length; index++) {
			for (int bit = 0; bit < 8; bit++) {
				byte[] flipped = valid.clone();
				flipped[index] ^= (byte) (1 << bit);
				try {
					this.serializer.deserialize(flipped);
				}
				catch (UnreadableSessionException ex) {
					unreadable++;
				}
				catch (Throwable ex) {
					throw new AssertionError("bit " + bit + " of byte " + index + " flipped escaped as " + ex, ex);
				}
			}
		}
		assertThat(unreadable).isPositive().isLessThan(valid.length * 8);
	}

	@Test
	void aForgedHugeCountIsRefusedBeforeAnythingIsAllocated() {
		// "WS" 3, created, ip null, principal null, one attribute "k": an ArrayList of
		// 2^31 - 1 elements
		byte[] forged = { 'W', 'S', 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 'k', 30, (byte) 0xFF, (byte) 0xFF,
				(byte) 0xFF, (byte) 0xFF, 0x07, 0 };
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(forged))
			.withMessageContaining("2147483647 more bytes declared");
	}

	@Test
	void compactDataNestedDeeperThanTheLimitIsUnreadable() {
		byte[] head = { 'W', 'S', 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 'k' };
		int lists = 20_000;
		byte[] forged = Arrays.copyOf(head, head.length + lists * 2 + 2);
		for (int i = 0; i < lists; i++) {
			forged[head.length + i * 2] = 30;
			forged[head.length + i * 2 + 1] = 1;
		}
		forged[forged.length - 2] = 0;

		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(forged))
			.withMessageContaining("nests deeper than " + JavaSessionSerializer.MAX_DEPTH + " levels");
	}

	@Test
	void anUnknownTagAnOutOfRangeDateAndTrailingBytesAreUnreadable() {
		byte[] head = { 'W', 'S', 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 'k' };
		byte[] unknownTag = concat(head, new byte[] { 99, 0 });
		byte[] badDate = concat(head, new byte[] { 17, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0 });
		byte[] trailing = concat(head, new byte[] { 5, 0, 0, 0, 1, 0, 42 });
		byte[] unknownFormat = { 'W', 'S', 9 };

		for (byte[] forged : List.of(unknownTag, badDate, trailing, unknownFormat)) {
			assertThatExceptionOfType(UnreadableSessionException.class)
				.isThrownBy(() -> this.serializer.deserialize(forged));
		}
	}

	@Test
	void aJavaSerializedPartOutsideTheAllowListIsUnreadable() {
		byte[] foreign = new JavaSessionSerializer(getClass().getClassLoader(), List.of("io.github.webpysession.**"))
			.serialize(new SessionData(CREATED, null,
					Map.of("count", 1, "gadget", new io.github.webpysession.testsupport.gadget.Gadget())));

		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(foreign))
			.withMessageContaining("not allowed by session.allowed-classes");
	}

	private static byte[] concat(byte[] head, byte[] tail) {
		byte[] all = Arrays.copyOf(head, head.length + tail.length);
		System.arraycopy(tail, 0, all, head.length, tail.length);
		return all;
	}

}
