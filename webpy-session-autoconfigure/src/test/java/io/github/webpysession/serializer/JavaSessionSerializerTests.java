package io.github.webpysession.serializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.webpysession.serializer.gadget.Gadget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JavaSessionSerializerTests {

	private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

	private final JavaSessionSerializer serializer = new JavaSessionSerializer(getClass().getClassLoader(),
			List.of("io.github.webpysession.serializer.reload.*"));

	@Test
	void jdkValueTypesAndCollectionsRoundTrip() {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put("count", 3);
		attributes.put("name", "alice");
		attributes.put("price", new BigDecimal("9.99"));
		attributes.put("day", LocalDate.of(2026, 1, 2));
		attributes.put("roles", new ArrayList<>(List.of("admin", "user")));
		attributes.put("flags", List.of(true, false));
		attributes.put("bytes", new byte[] { 1, 2, 3 });

		SessionData read = this.serializer.deserialize(this.serializer.serialize(new SessionData(CREATED, "10.0.0.1",
				attributes)));

		assertThat(read.created()).isEqualTo(CREATED);
		assertThat(read.ip()).isEqualTo("10.0.0.1");
		assertThat(read.attributes()).containsEntry("count", 3)
			.containsEntry("name", "alice")
			.containsEntry("price", new BigDecimal("9.99"))
			.containsEntry("day", LocalDate.of(2026, 1, 2))
			.containsEntry("roles", List.of("admin", "user"))
			.containsEntry("flags", List.of(true, false));
		assertThat((byte[]) read.attributes().get("bytes")).containsExactly(1, 2, 3);
	}

	@Test
	void aClassOnTheAllowListRoundTrips() {
		Object cart = new io.github.webpysession.serializer.reload.Cart(2);
		SessionData read = this.serializer
			.deserialize(this.serializer.serialize(new SessionData(CREATED, null, Map.of("cart", cart))));
		assertThat(((io.github.webpysession.serializer.reload.Cart) read.attributes().get("cart")).items())
			.isEqualTo(2);
	}

	@Test
	void aClassOutsideTheAllowListIsRefusedWithoutBeingInstantiated() {
		byte[] payload = this.serializer.serialize(new SessionData(CREATED, null, Map.of("evil", new Gadget())));
		Gadget.deserialized = false;

		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(payload))
			.withMessageContaining("not allowed");
		assertThat(Gadget.deserialized).isFalse();
	}

	@Test
	void bytesThatAreNotASerializedSessionAreUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(new byte[] { 1, 2, 3, 4, 5 }));
	}

	@Test
	void aTruncatedSessionIsUnreadable() {
		byte[] whole = this.serializer.serialize(new SessionData(CREATED, null, Map.of("k", "v".repeat(100))));
		byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(truncated));
	}

	@Test
	void aValueThatIsNotSerializableIsRefusedWhenSavedNamingTheProblem() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.serializer.serialize(new SessionData(CREATED, null, Map.of("lock", new Object()))))
			.withMessageContaining("not Serializable");
	}

	/**
	 * Spring Boot DevTools restarts an application in a new class loader. Session values then
	 * belong to classes of that loader, and the serializer must resolve them there: web.py's
	 * reloading problem, solved.
	 */
	@Test
	void classesResolveThroughTheApplicationsClassLoaderSoSessionsSurviveARestart() throws Exception {
		try (ReloadingClassLoader beforeRestart = new ReloadingClassLoader();
				ReloadingClassLoader afterRestart = new ReloadingClassLoader()) {
			Object cart = beforeRestart.loadClass("io.github.webpysession.serializer.reload.Cart")
				.getConstructor(int.class)
				.newInstance(5);
			byte[] stored = new JavaSessionSerializer(beforeRestart, List.of("io.github.webpysession.serializer.reload.*"))
				.serialize(new SessionData(CREATED, null, Map.of("cart", cart)));

			Object restored = new JavaSessionSerializer(afterRestart, List.of("io.github.webpysession.serializer.reload.*"))
				.deserialize(stored)
				.attributes()
				.get("cart");

			assertThat(restored.getClass().getClassLoader()).isSameAs(afterRestart);
			assertThat(restored.getClass()).isNotSameAs(cart.getClass());
			assertThat(restored.getClass().getMethod("items").invoke(restored)).isEqualTo(5);
		}
	}

	/** Loads the application's classes itself, child-first, as DevTools' RestartClassLoader does. */
	static final class ReloadingClassLoader extends URLClassLoader {

		ReloadingClassLoader() throws IOException {
			super(new URL[] { io.github.webpysession.serializer.reload.Cart.class.getProtectionDomain()
				.getCodeSource()
				.getLocation() }, JavaSessionSerializerTests.class.getClassLoader());
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (!name.startsWith("io.github.webpysession.serializer.reload.")) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				return (loaded != null) ? loaded : findClass(name);
			}
		}

	}

}
