package io.github.webpysession.store.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.webpysession.event.SessionExpiredEvent;
import io.github.webpysession.testsupport.CounterController;
import io.github.webpysession.testsupport.RedisDatabase;
import io.github.webpysession.testsupport.Services;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * A web application on the Redis store, for tests over real HTTP: {@code /count} counts
 * in the session, {@code /read} reads the count, {@code /reset} kills the session; the
 * {@link ExpiredSessions} bean keeps the expiry events.
 */
@SpringBootApplication
@Import(CounterController.class)
class RedisTestApplication {

	/**
	 * The command timeout unless {@code args} set one: generous, so that a loaded machine
	 * does not fail a request that a test expects to succeed.
	 */
	static final String TIMEOUT = "--spring.data.redis.timeout=10s";

	/**
	 * Starts the application on a random port with the Redis store on {@code port}
	 * (database {@value RedisDatabase#DATABASE}), keys under {@code prefix}, plus
	 * {@code args}; {@code spring.data.redis.timeout} is {@value #TIMEOUT} unless they
	 * set it.
	 */
	static ConfigurableApplicationContext start(int port, String prefix, String... args) {
		List<String> all = new ArrayList<>(
				List.of("--server.port=0", "--session.store=redis", "--session.redis.key-prefix=" + prefix,
						"--spring.data.redis.host=" + Services.REDIS_HOST, "--spring.data.redis.port=" + port,
						"--spring.data.redis.database=" + RedisDatabase.DATABASE, "--spring.main.banner-mode=off"));
		if (Stream.of(args).noneMatch((arg) -> arg.startsWith("--spring.data.redis.timeout="))) {
			all.add(TIMEOUT);
		}
		all.addAll(List.of(args));
		return new SpringApplicationBuilder(RedisTestApplication.class).run(all.toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Bean
	ExpiredSessions expiredSessions() {
		return new ExpiredSessions();
	}

	/** The ids of the sessions reported expired, in order. */
	static class ExpiredSessions {

		final List<String> ids = new CopyOnWriteArrayList<>();

		@EventListener
		void expired(SessionExpiredEvent event) {
			this.ids.add(event.getSessionId());
		}

	}

}
