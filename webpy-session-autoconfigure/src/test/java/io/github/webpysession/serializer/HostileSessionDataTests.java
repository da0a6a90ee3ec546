package io.github.webpysession.serializer;

import java.io.InvalidClassException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.webpysession.testsupport.HostileBytes;
import io.github.webpysession.testsupport.gadget.Gadget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Stored session data tampered with or corrupted at rest: whatever it holds, reading it
 * gives a readable session or an {@link UnreadableSessionException}, never another
 * throwable, and never brings to life a class outside the allow-list.
 */
class HostileSessionDataTests {

	private final JavaSessionSerializer serializer = new JavaSessionSerializer(getClass().getClassLoader(),
			List.of(HostileBytes.ALLOWED_CLASSES));

	@Test
	void theForgeriesStartFromARealReadableSession() {
		SessionData read = this.serializer.deserialize(HostileBytes.valid());

		assertThat(read.created()).isEqualTo(HostileBytes.CREATED);
		assertThat(read.ip()).isEqualTo(HostileBytes.IP);
		assertThat(read.attributes()).containsOnlyKeys(HostileBytes.validAttributes().keySet());
	}

	@Test
	void dataCutAtAnyLengthIsUnreadable() {
		byte[] valid = HostileBytes.valid();
		for (int length = 0; length < valid.length; length++) {
			byte[] truncated = Arrays.copyOf(valid, length);
			assertThatExceptionOfType(UnreadableSessionException.class).as("cut to %d bytes", length)
				.isThrownBy(() -> this.serializer.deserialize(truncated));
		}
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.truncated()));
	}

	@Test
	void everySingleBitFlipGivesAReadableSessionOrUnreadableSessionExceptionNeverAnotherThrowable() {
		int unreadable = 0;
		int flips = HostileBytes.valid().length * 8;
		for (int index = 0; index < HostileBytes.valid().length; index++) {
			for (int bit = 0; bit < 8; bit++) {
				byte[] flipped = HostileBytes.bitFlipped(index, bit);
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
		assertThat(unreadable).isPositive().isLessThan(flips);
	}

	@Test
	void aFlippedBitInAClassesSerialVersionIsUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.bitFlipped()))
			.withMessageContaining("java.util.HashMap");
	}

	@Test
	void dataNestedOneLevelDeeperThanTheLimitIsUnreadable() {
		int deepest = JavaSessionSerializer.MAX_DEPTH - 1;
		assertThat(this.serializer.deserialize(HostileBytes.deeplyNested(deepest)).attributes()).containsKey("nested");

		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.deeplyNested(deepest + 1)))
			.withMessageContaining("nests deeper than " + JavaSessionSerializer.MAX_DEPTH + " levels");
	}

	@Test
	void dataNestedDeepEnoughToOverflowTheStackIsRefusedBeforeItDoes() {
		byte[] deep = HostileBytes.deeplyNested(20_000);
		assertThatExceptionOfType(UnreadableSessionException.class).isThrownBy(() -> this.serializer.deserialize(deep))
			.withMessageContaining("nests deeper than")
			.withRootCauseInstanceOf(InvalidClassException.class);
	}

	@Test
	void aStackOverflowWhileReadingIsUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.selfContainingList()))
			.withCauseInstanceOf(StackOverflowError.class);
	}

	@Test
	void aClassOutsideTheAllowListIsUnreadableWithoutBeingInstantiated() {
		Gadget.deserialized = false;

		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.foreignClass()))
			.withMessageContaining(Gadget.class.getName())
			.withMessageContaining("not allowed by session.allowed-classes");
		assertThat(Gadget.deserialized).isFalse();
	}

	@Test
	void aClassWhoseReadObjectThrowsIsUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.failingReadObject()))
			.withCauseInstanceOf(IllegalStateException.class)
			.withMessageContaining("FailingReadObject refuses");
	}

	@Test
	void aSerializationProxyWhoseReadResolveThrowsIsUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.failingReadResolve()))
			.withCauseInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("limit must be positive");
	}

	@Test
	void aCorruptedLocalDateIsUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.corruptLocalDate()))
			.withCauseInstanceOf(DateTimeException.class);
	}

	@Test
	void aHugeArrayLengthForgedIntoFewBytesIsRefusedBeforeAnythingIsAllocated() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.hugeArrayLength()))
			.withMessageContaining("declares arrays of more elements (2147483632 in one)");
	}

	@Test
	void theArrayBudgetRefusesNoRealDataEvenSparseHashTablesOfTinyKeys() {
		Map<String, Object> sparse = new HashMap<>(16, 0.25f);
		Set<String> sparseSet = new HashSet<>(16, 0.25f);
		for (char c = 'a'; c < 'a' + 2000; c++) {
			sparse.put(String.valueOf(c), null);
			sparseSet.add(String.valueOf(c));
		}
		Map<String, Object> attributes = Map.of("sparse", sparse, "sparseSet", sparseSet, "big", new byte[1_000_000],
				"list", new ArrayList<>(Collections.nCopies(10_000, null)));

		SessionData read = this.serializer
			.deserialize(this.serializer.serialize(new SessionData(HostileBytes.CREATED, null, attributes)));

		assertThat(read.attributes().get("sparse")).isEqualTo(sparse);
		assertThat(read.attributes().get("sparseSet")).isEqualTo(sparseSet);
		assertThat((byte[]) read.attributes().get("big")).hasSize(1_000_000);
	}

	@Test
	void attributesKeyedByAnythingButStringsAreUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.nonStringKey()))
			.withMessageContaining("key that is not a String");
	}

	@Test
	void topLevelObjectsOfTheWrongTypeAreUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.write(HostileBytes.CREATED, 42, Map.of())))
			.withMessageContaining("java.lang.Integer where the client address should be");
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer
				.deserialize(HostileBytes.write(HostileBytes.CREATED, HostileBytes.IP, List.of("a"))))
			.withMessageContaining("where its attributes should be");
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(HostileBytes.write(HostileBytes.CREATED, null, null)))
			.withMessageContaining("null where its attributes should be");
	}

	@Test
	void emptyDataIsUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(new byte[0]));
	}

}
