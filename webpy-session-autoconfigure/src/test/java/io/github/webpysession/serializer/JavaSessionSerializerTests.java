package io.github.webpysession.serializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JavaSessionSerializerTests {

	private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

	/**
	 * Session data as the serializer wrote it before values were checked (format 1), byte
	 * for byte: what stores already hold must still load.
	 */
	private static final String FORMAT_1 = """
			rO0ABXcMAAAAAQAAAZt4//kAdAAIMTAuMC4wLjFzcgARamF2YS51dGlsLkhhc2hNYXAFB9rBwxZg\
			0QMAAkYACmxvYWRGYWN0b3JJAAl0aHJlc2hvbGR4cD9AAAAAAAAMdwgAAAAQAAAABnQABXByaWNl\
			c3IAFGphdmEubWF0aC5CaWdEZWNpbWFsVMcVV/mBKE8DAAJJAAVzY2FsZUwABmludFZhbHQAFkxq\
			YXZhL21hdGgvQmlnSW50ZWdlcjt4cgAQamF2YS5sYW5nLk51bWJlcoaslR0LlOCLAgAAeHAAAAAC\
			c3IAFGphdmEubWF0aC5CaWdJbnRlZ2VyjPyfH6k7+x0DAAZJAAhiaXRDb3VudEkACWJpdExlbmd0\
			aEkAE2ZpcnN0Tm9uemVyb0J5dGVOdW1JAAxsb3dlc3RTZXRCaXRJAAZzaWdudW1bAAltYWduaXR1\
			ZGV0AAJbQnhxAH4ABv///////////////v////4AAAABdXIAAltCrPMX+AYIVOACAAB4cAAAAAID\
			53h4dAAFYnl0ZXN1cQB+AAsAAAADAQIDdAAFcm9sZXNzcgATamF2YS51dGlsLkFycmF5TGlzdHiB\
			0h2Zx2GdAwABSQAEc2l6ZXhwAAAAAncEAAAAAnQABWFkbWludAAEdXNlcnh0AARuYW1ldAAFYWxp\
			Y2V0AAVjb3VudHNyABFqYXZhLmxhbmcuSW50ZWdlchLioKT3gYc4AgABSQAFdmFsdWV4cQB+AAYA\
			AAADdAADZGF5c3IADWphdmEudGltZS5TZXKVXYS6GyJIsgwAAHhwdwcDAAAH6gECeHg=""";

	/**
	 * Session data as the serializer wrote it before the compact format (format 2, with a
	 * principal name), byte for byte: what stores already hold must still load.
	 */
	private static final String FORMAT_2 = """
			rO0ABXcMAAAAAgAAAZt4//kAdAAIMTAuMC4wLjF0AAVhbGljZXNyABFqYXZhLnV0aWwuSGFzaE1h\
			cAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAAG\
			dAAFcHJpY2VzcgAUamF2YS5tYXRoLkJpZ0RlY2ltYWxUxxVX+YEoTwMAAkkABXNjYWxlTAAGaW50\
			VmFsdAAWTGphdmEvbWF0aC9CaWdJbnRlZ2VyO3hyABBqYXZhLmxhbmcuTnVtYmVyhqyVHQuU4IsC\
			AAB4cAAAAAJzcgAUamF2YS5tYXRoLkJpZ0ludGVnZXKM/J8fqTv7HQMABkkACGJpdENvdW50SQAJ\
			Yml0TGVuZ3RoSQATZmlyc3ROb256ZXJvQnl0ZU51bUkADGxvd2VzdFNldEJpdEkABnNpZ251bVsA\
			CW1hZ25pdHVkZXQAAltCeHEAfgAH///////////////+/////gAAAAF1cgACW0Ks8xf4BghU4AIA\
			AHhwAAAAAgPneHh0AAVieXRlc3VxAH4ADAAAAAMBAgN0AAVyb2xlc3NyABNqYXZhLnV0aWwuQXJy\
			YXlMaXN0eIHSHZnHYZ0DAAFJAARzaXpleHAAAAACdwQAAAACdAAFYWRtaW50AAR1c2VyeHQABG5h\
			bWVxAH4AAXQABWNvdW50c3IAEWphdmEubGFuZy5JbnRlZ2VyEuKgpPeBhzgCAAFJAAV2YWx1ZXhx\
			AH4ABwAAAAN0AANkYXlzcgANamF2YS50aW1lLlNlcpVdhLobIkiyDAAAeHB3BwMAAAfqAQJ4eA==""";

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

		SessionData read = this.serializer
			.deserialize(this.serializer.serialize(new SessionData(CREATED, "10.0.0.1", attributes)));

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
	void dataWrittenBeforeValuesWereCheckedStillLoads() {
		SessionData read = this.serializer.deserialize(Base64.getDecoder().decode(FORMAT_1));

		assertThat(read.created()).isEqualTo(CREATED);
		assertThat(read.ip()).isEqualTo("10.0.0.1");
		assertThat(read.attributes()).containsEntry("name", "alice")
			.containsEntry("count", 3)
			.containsEntry("price", new BigDecimal("9.99"))
			.containsEntry("day", LocalDate.of(2026, 1, 2))
			.containsEntry("roles", List.of("admin", "user"));
		assertThat((byte[]) read.attributes().get("bytes")).containsExactly(1, 2, 3);
	}

	@Test
	void dataWrittenBeforeTheCompactFormatStillLoads() {
		SessionData read = this.serializer.deserialize(Base64.getDecoder().decode(FORMAT_2));

		assertThat(read.created()).isEqualTo(CREATED);
		assertThat(read.ip()).isEqualTo("10.0.0.1");
		assertThat(read.principalName()).isEqualTo("alice");
		assertThat(read.attributes()).containsEntry("name", "alice")
			.containsEntry("count", 3)
			.containsEntry("price", new BigDecimal("9.99"))
			.containsEntry("day", LocalDate.of(2026, 1, 2))
			.containsEntry("roles", List.of("admin", "user"));
		assertThat((byte[]) read.attributes().get("bytes")).containsExactly(1, 2, 3);
	}

	@Test
	void bytesThatAreNotASerializedSessionAreUnreadable() {
		assertThatExceptionOfType(UnreadableSessionException.class)
			.isThrownBy(() -> this.serializer.deserialize(new byte[] { 1, 2, 3, 4, 5 }));
	}

	/**
	 * Spring Boot DevTools restarts an application in a new class loader. Session values
	 * then belong to classes of that loader, and the serializer must resolve them there:
	 * web.py's reloading problem, solved.
	 */
	@Test
	void classesResolveThroughTheApplicationsClassLoaderSoSessionsSurviveARestart() throws Exception {
		try (ReloadingClassLoader beforeRestart = new ReloadingClassLoader();
				ReloadingClassLoader afterRestart = new ReloadingClassLoader()) {
			Object cart = beforeRestart.loadClass("io.github.webpysession.serializer.reload.Cart")
				.getConstructor(int.class)
				.newInstance(5);
			byte[] stored = new JavaSessionSerializer(beforeRestart,
					List.of("io.github.webpysession.serializer.reload.*"))
				.serialize(new SessionData(CREATED, null, Map.of("cart", cart)));

			Object restored = new JavaSessionSerializer(afterRestart,
					List.of("io.github.webpysession.serializer.reload.*"))
				.deserialize(stored)
				.attributes()
				.get("cart");

			assertThat(restored.getClass().getClassLoader()).isSameAs(afterRestart);
			assertThat(restored.getClass()).isNotSameAs(cart.getClass());
			assertThat(restored.getClass().getMethod("items").invoke(restored)).isEqualTo(5);
		}
	}

	/**
	 * Loads the application's classes itself, child-first, as DevTools'
	 * RestartClassLoader does.
	 */
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
