package io.github.webpysession.store.jdbc;

import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.testsupport.CounterController;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * A web application on the JDBC store, for tests over real HTTP: {@code /count} counts in
 * the session, {@code /read} reads the count, {@code /reset} kills the session,
 * {@code /plain} never touches it.
 */
@SpringBootApplication
@Import(CounterController.class)
class JdbcTestApplication {

	/**
	 * Starts the application on a random port with the JDBC store on {@code url}, its own
	 * Flyway off, plus {@code args}.
	 */
	static ConfigurableApplicationContext start(String url, String user, String table, String... args) {
		return start(List.of(), url, user, table, args);
	}

	/**
	 * {@link #start(String, String, String, String...)}, with beans of
	 * {@code configurations} too.
	 */
	static ConfigurableApplicationContext start(List<Class<?>> configurations, String url, String user, String table,
			String... args) {
		List<String> all = new ArrayList<>(
				List.of("--server.port=0", "--session.store=jdbc", "--session.jdbc.table-name=" + table,
						"--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
						"--spring.flyway.enabled=false", "--spring.main.banner-mode=off"));
		all.addAll(List.of(args));
		List<Class<?>> sources = new ArrayList<>(List.of(JdbcTestApplication.class));
		sources.addAll(configurations);
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(all.toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
