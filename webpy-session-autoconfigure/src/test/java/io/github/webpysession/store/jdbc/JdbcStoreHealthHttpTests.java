package io.github.webpysession.store.jdbc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code webpySession} health contributor of the JDBC store on PostgreSQL behind a
 * proxy, over real HTTP ({@code /actuator/health}): DOWN while the database is away or
 * hangs, in time, and UP again once it is back, without a restart.
 */
class JdbcStoreHealthHttpTests {

	@RegisterExtension
	final ProxiedPostgres postgres = new ProxiedPostgres();

	@Test
	void downWhileTheDatabaseIsAwayAndUpOnceItIsBack() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = JdbcTestApplication.port(context);
			assertThat(webpySession(health(port))).contains("\"status\":\"UP\"", "\"store\":\"jdbc\"");

			this.postgres.proxy().stop();
			HttpResponse<String> down = health(port);

			assertThat(down.statusCode()).isEqualTo(503);
			assertThat(webpySession(down)).contains("\"status\":\"DOWN\"", "\"store\":\"jdbc\"", "cannot load");
			this.postgres.proxy().start();
			await().atMost(Duration.ofSeconds(30)).until(() -> webpySession(health(port)).contains("\"UP\""));
		}
	}

	@Test
	void aDatabaseThatHangsIsDownWithinASecond() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = JdbcTestApplication.port(context);
			assertThat(webpySession(health(port))).contains("\"UP\"");

			this.postgres.proxy().setLatency(Duration.ofSeconds(5));
			long start = System.nanoTime();
			HttpResponse<String> down = health(port);

			// well under the 5 s that the database hangs for, with room for a loaded
			// machine: answered by the contributor's deadline, not by the database
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			assertThat(webpySession(down)).contains("\"status\":\"DOWN\"", "timed out after 1s");
			this.postgres.proxy().setLatency(Duration.ZERO);
			await().atMost(Duration.ofSeconds(30)).until(() -> webpySession(health(port)).contains("\"UP\""));
		}
	}

	/**
	 * The application on the proxied database, without a socket timeout, showing health
	 * details; Boot's own {@code db} contributor is left out, as it has no deadline.
	 */
	private ConfigurableApplicationContext start() {
		return this.postgres.start("--management.endpoint.health.show-details=always",
				"--management.health.db.enabled=false");
	}

	private static HttpResponse<String> health(int port) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The {@code webpySession} component of a health answer. */
	private static String webpySession(HttpResponse<String> health) {
		String body = health.body();
		int start = body.indexOf("\"webpySession\":");
		assertThat(start).as("a webpySession component in %s", body).isNotNegative();
		return body.substring(start, body.indexOf('}', body.indexOf('}', start) + 1) + 1);
	}

}
