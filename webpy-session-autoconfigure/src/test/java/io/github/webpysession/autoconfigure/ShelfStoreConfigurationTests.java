package io.github.webpysession.autoconfigure;

import java.nio.file.Path;
import java.time.Instant;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.shelf.ShelfSessionStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ShelfStoreConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void shelfStoreKeepsSessionsInTheConfiguredFile() {
		Path file = this.directory.resolve("sessions.shelf");
		this.contextRunner.withPropertyValues("session.store=shelf", "session.shelf.file=" + file).run((context) -> {
			assertThat(context).hasSingleBean(SessionStore.class);
			assertThat(context.getBean(ShelfSessionStore.class).getFile()).isEqualTo(file.toAbsolutePath());
		});
	}

	@Test
	void theFileDefaultsToSessionShelfInTheWorkingDirectory() {
		assertThat(new SessionProperties().getShelf().getFile()).isEqualTo(Path.of("session.shelf"));
	}

	@Test
	void theStoreIsClosedWithTheContextSoTheFileReopensWithItsSessions() {
		Path file = this.directory.resolve("sessions.shelf");
		this.contextRunner.withPropertyValues("session.store=shelf", "session.shelf.file=" + file)
			.run((context) -> context.getBean(SessionStore.class).create("id", new byte[] { 1 }, Instant.EPOCH));
		try (ShelfSessionStore reopened = new ShelfSessionStore(file)) {
			assertThat(reopened.load("id")).isNotNull();
		}
	}

	@Test
	void withoutH2TheApplicationDoesNotStartAndSaysH2IsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MVStore.class))
			.withPropertyValues("session.store=shelf", "session.shelf.file=" + this.directory.resolve("s.shelf"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("session.store=shelf")
					.hasMessageContaining("com.h2database:h2");
			});
	}

}
