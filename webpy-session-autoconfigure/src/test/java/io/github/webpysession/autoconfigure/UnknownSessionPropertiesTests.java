package io.github.webpysession.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A {@code session.*} key that names no property stops startup, naming the closest one: a
 * misspelt {@code timeout} or {@code secure} must never start with the default, silently.
 */
class UnknownSessionPropertiesTests {

	/** The failure is this test's to assert, not Boot's to log at ERROR. */
	private static final String QUIET_FAILURE = "logging.level.org.springframework.boot.SpringApplication=off";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
		.withPropertyValues("session.store=memory");

	@Test
	void aMisspeltKeyFailsStartupNamingTheClosestProperty() {
		this.runner.withPropertyValues("session.tiemout=5")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("Unknown session property session.tiemout")
				.hasMessageContaining("did you mean session.timeout?"));
	}

	@Test
	void aMisspeltNestedKeyNamesTheClosestNestedProperty() {
		this.runner.withPropertyValues("session.disk.directroy=/tmp/s")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("session.disk.directroy")
				.hasMessageContaining("did you mean session.disk.directory?"));
	}

	@Test
	void aKeyInCamelCaseIsNamedAsItWasWritten() {
		this.runner.withPropertyValues("session.cookieNmae=sid")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("session.cookieNmae")
				.hasMessageContaining("did you mean session.cookie-name?"));
	}

	@Test
	void everyUnknownKeyIsNamedInOneMessageWithTheListOfProperties() {
		this.runner.withPropertyValues("session.secur=true", "session.tiemout=5")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("Unknown session properties ")
				.hasMessageContaining("session.secur (")
				.hasMessageContaining("): did you mean session.secure?")
				.hasMessageContaining("session.tiemout (")
				.hasMessageContaining("): did you mean session.timeout?")
				.hasMessageContaining("The session properties are allowed-classes, cleanup-interval, cookie-domain, "));
	}

	@Test
	void everyPropertyInEveryRelaxedFormIsAccepted() {
		this.runner
			.withPropertyValues("session.cookieName=sid", "session.ignore_expiry=false",
					"session.IGNORE-CHANGE-IP=false", "session.timeout=5", "session.max-size=2MB",
					"session.lock-timeout=1s", "session.allowed-classes[0]=com.example.*",
					"session.secret-key=0123456789abcdef0123", "session.previous-secret-keys[0]=fedcba9876543210fedc",
					"session.disk.directory=/tmp/sessions", "session.jdbc.table-name=web_sessions",
					"session.jdbc.initialize-schema=never", "session.shelf.file=s.shelf")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SessionProperties properties = context.getBean(SessionProperties.class);
				assertThat(properties.getCookieName()).isEqualTo("sid");
				assertThat(properties.isIgnoreExpiry()).isFalse();
				assertThat(properties.getAllowedClasses()).containsExactly("com.example.*");
			});
	}

	@Test
	void everyPropertyOfTheContractIsAcceptedEvenBeforeItIsImplemented() {
		List<String> contract = List.of("store", "cookie-name", "cookie-domain", "cookie-path", "timeout",
				"ignore-expiry", "ignore-change-ip", "secret-key", "expired-message", "httponly", "secure", "samesite",
				"disk.directory", "jdbc.table-name", "shelf.file", "previous-secret-keys", "max-lifetime", "lock",
				"max-size", "http-session", "max-sessions-per-principal", "redis.key-prefix", "cookie-max-age");
		new UnknownSessionPropertiesCheck().check(
				environment(contract.stream().collect(Collectors.toMap((name) -> "session." + name, (name) -> "x"))));
	}

	@Test
	void environmentVariablesBindAndAreNotChecked() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("SESSION_TIMEOUT", "5", "SESSION_MANAGER", "local/desktop:@/tmp/.ICE-unix/1"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionProperties.class).getTimeout()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void otherPrefixesAreNotChecked() {
		this.runner.withPropertyValues("server.servlet.session.timeout=5m", "sessions.tiemout=5", "spring.session.x=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aRealStartupFailsBeforeTheServerStartsNamingWhereTheKeyWasSet() {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
				.properties("spring.main.banner-mode=off", "session.store=memory", QUIET_FAILURE)
				.run("--session.tiemout=5")
				.close())
			.withMessageContaining("session.tiemout (\"session.tiemout\" from property source \"commandLineArgs\")")
			.withMessageContaining("did you mean session.timeout?");
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	@Configuration(proxyBeanMethods = false)
	@Import(SessionAutoConfiguration.class)
	static class Application {

	}

}
