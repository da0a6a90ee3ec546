package io.github.webpysession.autoconfigure;

import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;

import io.github.webpysession.Session;
import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.serializer.SessionSerializer;
import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.store.SessionLocks;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreCleaner;
import io.github.webpysession.store.disk.DiskSessionStore;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.web.SessionCookie;
import io.github.webpysession.web.SessionExceptionResolver;
import io.github.webpysession.web.SessionInterceptor;
import io.github.webpysession.web.SessionLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class SessionAutoConfigurationTests {

	@TempDir
	Path directory;

	private WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withPropertyValues("session.disk.directory=" + this.directory.resolve("sessions"));
	}

	@Test
	void theDiskStoreIsTheDefaultInTheConfiguredFolder() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(DiskSessionStore.class);
			assertThat(context.getBean(DiskSessionStore.class).getDirectory())
				.isEqualTo(this.directory.resolve("sessions").toAbsolutePath());
		});
	}

	@Test
	void theMemoryStoreIsChosenByProperty() {
		runner().withPropertyValues("session.store=memory").run((context) -> {
			assertThat(context).hasSingleBean(SessionStore.class);
			assertThat(context).hasSingleBean(MemorySessionStore.class);
		});
	}

	@Test
	void theStoreNameIsCaseInsensitive() {
		runner().withPropertyValues("session.store=MEMORY")
			.run((context) -> assertThat(context).hasSingleBean(MemorySessionStore.class));
	}

	@Test
	void everyPartOfTheLifecycleIsRegistered() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(SessionInterceptor.class);
			assertThat(context).hasSingleBean(SessionCookie.class);
			assertThat(context).hasSingleBean(SessionExceptionResolver.class);
			assertThat(context).hasSingleBean(SessionStoreCleaner.class);
			assertThat(context).hasSingleBean(JavaSessionSerializer.class);
		});
	}

	@Test
	void theSessionBeanIsTheSessionOfTheRequestBeingHandled() {
		runner().withPropertyValues("session.store=memory").run((context) -> {
			Session bean = context.getBean(Session.class);
			MockHttpServletRequest request = new MockHttpServletRequest();
			context.getBean(SessionLifecycle.class).attach(request, new MockHttpServletResponse(), false);
			RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
			try {
				bean.put("user", "alice");
				assertThat(SessionLifecycle.current(request).<String>get("user")).isEqualTo("alice");
			}
			finally {
				RequestContextHolder.resetRequestAttributes();
			}
		});
	}

	@Test
	void theSessionBeanUsedOutsideARequestSaysSo() {
		runner().run((context) -> assertThatIllegalStateException().isThrownBy(context.getBean(Session.class)::getId)
			.withMessageContaining("Session was used outside a request"));
	}

	@Test
	void aUserStoreReplacesTheOneTheStorePropertyNames() {
		runner().withPropertyValues("session.store=disk")
			.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionStore.class);
				assertThat(context.getBean(SessionStore.class)).isSameAs(UserStoreConfiguration.STORE);
			});
	}

	@Test
	void locksAreLocalToThisJvmByDefault() {
		runner().run((context) -> assertThat(context).hasSingleBean(LocalSessionLocks.class));
	}

	@Test
	void aStoreOwnSessionLocksReplacesTheLocalOnes() {
		runner().withUserConfiguration(UserLocksConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionLocks.class);
			assertThat(context).doesNotHaveBean(LocalSessionLocks.class);
		});
	}

	@Test
	void aBareLockTimeoutNumberIsSecondsAndTenByDefault() {
		runner().run((context) -> assertThat(context.getBean(SessionProperties.class).getLockTimeout()).hasSeconds(10));
		runner().withPropertyValues("session.lock-timeout=3")
			.run((context) -> assertThat(context.getBean(SessionProperties.class).getLockTimeout()).hasSeconds(3));
	}

	@Test
	void aNegativeLockTimeoutStopsStartupNamingTheProperty() {
		runner().withPropertyValues("session.lock-timeout=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.lock-timeout");
		});
	}

	@Test
	void aUserSerializerReplacesTheDefault() {
		runner().withUserConfiguration(UserSerializerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionSerializer.class);
			assertThat(context).doesNotHaveBean(JavaSessionSerializer.class);
		});
	}

	@Test
	void anUnknownStoreStopsStartupNamingTheProperty() {
		runner().withPropertyValues("session.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.store").contains("redis");
		});
	}

	@Test
	void aZeroTimeoutStopsStartupNamingTheProperty() {
		runner().withPropertyValues("session.timeout=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.timeout").contains("must be positive");
		});
	}

	@Test
	void aNegativeTimeoutStopsStartupNamingTheProperty() {
		runner().withPropertyValues("session.timeout=-5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.timeout");
		});
	}

	@Test
	void aBareTimeoutNumberIsSeconds() {
		runner().withPropertyValues("session.timeout=90")
			.run((context) -> assertThat(context.getBean(SessionProperties.class).getTimeout()).hasSeconds(90));
	}

	@Test
	void anUnknownSameSiteStopsStartupNamingTheProperty() {
		runner().withPropertyValues("session.samesite=Sometimes").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.samesite").contains("Sometimes");
		});
	}

	@Test
	void aSecretKeyShorterThan16BytesStopsStartup() {
		runner().withPropertyValues("session.secret-key=short").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("session.secret-key")
				.hasMessageContaining("16 bytes");
		});
	}

	@Test
	void anUnresolvedPlaceholderAsSecretKeyStopsStartupInsteadOfSigningWithItsPublicText() {
		runner().withPropertyValues("session.secret-key=${SESSION_SECRET_THAT_IS_NOT_SET}").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.secret-key")
				.contains("unresolved placeholder");
		});
	}

	@Test
	void anInvalidCookieNameStopsStartupNamingTheProperty() {
		runner().withPropertyValues("session.cookie-name=bad;name").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure())).contains("session.cookie-name").contains("bad;name");
		});
	}

	@Test
	void aBareCookieMaxAgeNumberIsSecondsAndNoneByDefault() {
		runner().run((context) -> assertThat(context.getBean(SessionProperties.class).getCookieMaxAge()).isNull());
		runner().withPropertyValues("session.cookie-max-age=3600")
			.run((context) -> assertThat(context.getBean(SessionProperties.class).getCookieMaxAge())
				.isEqualTo(Duration.ofHours(1)));
	}

	@Test
	void withoutASecretKeyStartupSaysOnceThatCookiesAreUnsigned(CapturedOutput output) {
		runner().run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("Session cookies carry the bare random session id");
	}

	@Test
	void withASecretKeyCookiesAreSigned() {
		runner().withPropertyValues("session.secret-key=0123456789abcdef0123")
			.run((context) -> assertThat(context.getBean(SessionCookie.class).isSigned()).isTrue());
	}

	/** Every message in the chain of causes, as a startup failure report shows them. */
	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		static final SessionStore STORE = new MemorySessionStore();

		@Bean
		SessionStore myStore() {
			return STORE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLocksConfiguration {

		@Bean
		SessionLocks databaseLocks() {
			return (id, maxWait) -> () -> {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSerializerConfiguration {

		@Bean
		SessionSerializer mySerializer() {
			return new SessionSerializer() {

				@Override
				public byte[] serialize(SessionData data) {
					return new byte[0];
				}

				@Override
				public SessionData deserialize(byte[] bytes) {
					return new SessionData(Instant.EPOCH, null, java.util.Map.of());
				}

			};
		}

	}

}
