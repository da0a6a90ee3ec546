package io.github.webpysession.promises;

import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.autoconfigure.SessionAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings that issue 9 found accepted at startup and failing (or silently insecure) on
 * every request afterwards: each must stop startup, naming the property.
 */
class StartupPromisesTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class, WebMvcAutoConfiguration.class))
		.withPropertyValues("session.store=memory");

	@Test
	void aCookieNameThatNoCookieCanHaveStopsStartupNamingTheProperty() {
		this.runner.withPropertyValues("session.cookie-name=bad;name").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure()))
				.anySatisfy((message) -> assertThat(message).contains("session.cookie-name"));
		});
	}

	@Test
	void aSecretKeyThatIsAnUnresolvedPlaceholderStopsStartupNamingTheProperty() {
		this.runner.withPropertyValues("session.secret-key=${SESSION_SECRET_THAT_NOBODY_SET}").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messages(context.getStartupFailure()))
				.anySatisfy((message) -> assertThat(message).contains("session.secret-key"));
		});
	}

	private static List<String> messages(Throwable failure) {
		List<String> messages = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
		}
		return messages;
	}

}
