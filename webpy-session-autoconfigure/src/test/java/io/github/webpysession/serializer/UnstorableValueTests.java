package io.github.webpysession.serializer;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.webpysession.serializer.foreign.Proxied;
import io.github.webpysession.serializer.reload.Cart;
import io.github.webpysession.serializer.values.GadgetSubclass;
import io.github.webpysession.serializer.values.Holder;
import io.github.webpysession.serializer.values.Size;
import io.github.webpysession.testsupport.HostileBytes;
import io.github.webpysession.testsupport.gadget.Gadget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * A value that could not be read back is refused when it is put ({@code checkValue}) or
 * saved ({@code serialize}), naming its key, its class and the fix: never stored, to lose
 * the whole session at its next load.
 */
class UnstorableValueTests {

	private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

	private final JavaSessionSerializer serializer = new JavaSessionSerializer(getClass().getClassLoader(),
			List.of("io.github.webpysession.serializer.values.*", "io.github.webpysession.serializer.reload.*"));

	@Test
	void jdkValuesCollectionsAndAllowedClassesAreAccepted() {
		Map<String, Object> values = new HashMap<>();
		values.put("name", "alice");
		values.put("count", 3);
		values.put("price", new BigDecimal("9.99"));
		values.put("day", LocalDate.of(2026, 1, 2));
		values.put("weekday", DayOfWeek.MONDAY);
		values.put("id", UUID.randomUUID());
		values.put("bytes", new byte[] { 1, 2 });
		values.put("roles", new ArrayList<>(List.of("admin", "user")));
		values.put("immutable", List.of(Map.of("k", 1)));
		values.put("sorted", new TreeMap<>(Map.of("a", 1)));
		values.put("cart", new Cart(2));
		values.put("holder", new Holder(new Cart(1)));
		values.put("size", Size.LARGE);
		values.put("carts", new Cart[] { new Cart(1) });
		values.put("type", Cart.class);

		values.forEach((key, value) -> assertThatNoException().as(key)
			.isThrownBy(() -> this.serializer.checkValue(key, value)));
		assertThat(roundTrip(values).keySet()).isEqualTo(values.keySet());
	}

	@Test
	void aNullValueIsAccepted() {
		assertThatNoException().isThrownBy(() -> this.serializer.checkValue("gone", null));
	}

	@Test
	void aValueOutsideTheAllowListIsRefusedWhenPutNamingKeyClassAndProperty() throws Exception {
		URL url = URI.create("https://example.com/").toURL();
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("url", url))
			.withMessage("Session value 'url' holds java.net.URL, which session.allowed-classes does not allow; "
					+ "add java.net.URL or its package (java.net.*) to session.allowed-classes, "
					+ "or store a String instead")
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("url"));
	}

	@Test
	void aForeignClassDeepInsideAllowedValuesIsRefusedWhenPut() throws Exception {
		Object value = new ArrayList<>(List.of(Map.of("home", new Holder(URI.create("https://example.com/").toURL()))));
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("links", value))
			.withMessageStartingWith("Session value 'links' holds java.net.URL,");
	}

	@Test
	void aJdkClassOutsideTheJdkValuePackagesIsRefusedWhenPut() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("cache", new ConcurrentHashMap<>(Map.of("k", 1))))
			.withMessageContaining("java.util.concurrent.ConcurrentHashMap")
			.withMessageContaining("session.allowed-classes");
	}

	@Test
	void anAllowedClassWithAForeignSuperclassIsRefusedNamingTheSuperclass() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("sub", new GadgetSubclass()))
			.withMessageStartingWith("Session value 'sub' holds " + GadgetSubclass.class.getName() + ", a subclass of "
					+ Gadget.class.getName() + ", which session.allowed-classes does not allow; add "
					+ Gadget.class.getName() + " or its package");
	}

	@Test
	void aForeignClassWrittenThroughAnAllowedProxyIsRefusedAsReadingWouldRefuseWhatItResolvesTo() {
		byte[] unchecked = HostileBytes.write(CREATED, null, new HashMap<>(Map.of("proxied", new Proxied())));
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(unchecked));

		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("proxied", new Proxied()))
			.withMessageStartingWith("Session value 'proxied' holds " + Proxied.class.getName() + ",");
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(
					() -> this.serializer.serialize(new SessionData(CREATED, null, Map.of("proxied", new Proxied()))))
			.withMessageStartingWith("Session value 'proxied' holds " + Proxied.class.getName() + ",");
	}

	@Test
	void anArrayOfAForeignClassIsRefusedEvenEmpty() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("gadgets", new Gadget[0]))
			.withMessageContaining("holds " + Gadget.class.getName() + ",");
	}

	@Test
	void aClassObjectOfAForeignClassIsRefused() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("types", new ArrayList<>(List.of(Gadget.class))))
			.withMessageContaining(Gadget.class.getName());
	}

	@Test
	void aValueThatIsNotSerializableIsRefusedNamingKeyAndClass() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("lock", new Object()))
			.withMessage("Session value 'lock' holds java.lang.Object, which is not Serializable; "
					+ "store a Serializable value instead");
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("locks", new ArrayList<>(List.of(new Thread()))))
			.withMessageContaining("java.lang.Thread, which is not Serializable");
	}

	@Test
	void aProxyIsRefused() {
		Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { Supplier.class, Serializable.class }, (target, method, args) -> null);
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("supplier", proxy))
			.withMessageContaining("Session value 'supplier' holds a proxy");
	}

	@Test
	void aValueNestedDeeperThanTheLimitIsRefusedWhenPut() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("tree", nested(600)))
			.withMessageStartingWith(
					"Session value 'tree' nests deeper than " + JavaSessionSerializer.MAX_DEPTH + " levels");
	}

	@Test
	void aValueNestedDeepEnoughToOverflowTheStackWhenWrittenIsRefusedBeforeItDoes() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.checkValue("tree", nested(100_000)))
			.withMessageContaining("nests deeper than");
	}

	@Test
	void theDeepestValueAcceptedWhenPutReadsBackAndNothingDeeperIsAccepted() {
		int deepest = 0;
		while (accepted(nested(deepest + 1))) {
			deepest++;
		}
		assertThat(deepest).isGreaterThanOrEqualTo(JavaSessionSerializer.MAX_DEPTH - 5);
		assertThat(roundTrip(Map.of("tree", nested(deepest)))).containsKey("tree");
		for (int depth = deepest + 1; depth < deepest + 10; depth++) {
			assertThat(accepted(nested(depth))).as("depth %d", depth).isFalse();
		}
	}

	@Test
	void aValueThatBecameUnstorableAfterItWasPutIsRefusedWhenSavedNamingItsKey() throws Exception {
		List<Object> links = new ArrayList<>();
		this.serializer.checkValue("links", links);
		links.add(URI.create("https://example.com/").toURL());
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("name", "alice");
		attributes.put("links", links);
		attributes.put("count", 3);

		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.serialize(new SessionData(CREATED, "10.0.0.1", attributes)))
			.withMessageStartingWith("Session value 'links' holds java.net.URL, which session.allowed-classes")
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("links"));
	}

	@Test
	void aValueNestedTooDeeplyIsRefusedWhenSavedNamingItsKey() {
		Map<String, Object> attributes = Map.of("name", "alice", "tree", nested(600));
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.serialize(new SessionData(CREATED, null, attributes)))
			.withMessageStartingWith("Session value 'tree' nests deeper than");
	}

	@Test
	void aValueThatIsNotSerializableIsRefusedWhenSavedNamingItsKey() {
		assertThatExceptionOfType(UnstorableValueException.class)
			.isThrownBy(() -> this.serializer.serialize(new SessionData(CREATED, null, Map.of("lock", new Object()))))
			.withMessageContaining("'lock'")
			.withMessageContaining("not Serializable");
	}

	@Test
	void filterLimitsInTheAllowListAreRefusedNamingTheProperty() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new JavaSessionSerializer(getClass().getClassLoader(), List.of("maxdepth=5")))
			.withMessageContaining("session.allowed-classes")
			.withMessageContaining("maxdepth=5");
	}

	@Test
	void aSerializerOfTheApplicationsOwnAcceptsEveryValueUnlessItChecks() {
		SessionSerializer own = new SessionSerializer() {

			@Override
			public byte[] serialize(SessionData data) {
				return new byte[0];
			}

			@Override
			public SessionData deserialize(byte[] bytes) {
				return new SessionData(CREATED, null, Map.of());
			}

		};
		assertThatNoException().isThrownBy(() -> own.checkValue("lock", new Object()));
	}

	private boolean accepted(Object value) {
		try {
			this.serializer.checkValue("tree", value);
			return true;
		}
		catch (UnstorableValueException ex) {
			return false;
		}
	}

	private Map<String, Object> roundTrip(Map<String, Object> attributes) {
		return this.serializer.deserialize(this.serializer.serialize(new SessionData(CREATED, null, attributes)))
			.attributes();
	}

	/** Lists nested {@code depth} deep: 1 is an empty list. */
	private static List<Object> nested(int depth) {
		List<Object> nested = new ArrayList<>();
		for (int level = 1; level < depth; level++) {
			List<Object> outer = new ArrayList<>();
			outer.add(nested);
			nested = outer;
		}
		return nested;
	}

}
