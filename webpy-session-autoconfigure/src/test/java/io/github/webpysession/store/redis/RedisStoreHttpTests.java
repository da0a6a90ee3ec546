package io.github.webpysession.store.redis;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.ParallelCounts;
import io.github.webpysession.testsupport.RedisDatabase;
import io.github.webpysession.testsupport.RedisMonitor;
import io.github.webpysession.testsupport.Services;
import io.github.webpysession.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis store over real HTTP, on the local Redis: the commands each request sends,
 * two instances sharing sessions and their locks, expiry events, and a Redis that lost
 * its data.
 */
class RedisStoreHttpTests {

	private static final String COOKIE = "webpy_session_id";

	private static final int PARALLEL = 20;

	private RedisDatabase redis;

	@BeforeEach
	void connect() {
		Services.redis();
		this.redis = new RedisDatabase();
	}

	@AfterEach
	void disconnect() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	private ConfigurableApplicationContext start(String... args) {
		return RedisTestApplication.start(Services.REDIS_PORT, this.redis.prefix(), args);
	}

	@Test
	void aReadIsOneGetAndAWriteOneGetAndOneScript() {
		try (ConfigurableApplicationContext app = start();
				RedisMonitor monitor = new RedisMonitor(this.redis.prefix())) {
			HttpClientWithCookies client = new HttpClientWithCookies(RedisTestApplication.port(app));
			assertThat(client.get("/count").body()).isEqualTo("1");
			assertThat(monitor.clientCommands()).as("a new session's first write").containsExactly("SET");

			monitor.clear();
			assertThat(client.get("/read").body()).isEqualTo("1");
			assertThat(monitor.clientCommands()).as("a read").containsExactly("GET");
			assertThat(monitor.scriptCommands()).isEmpty();

			monitor.clear();
			assertThat(client.get("/count").body()).isEqualTo("2");
			assertThat(monitor.clientCommands()).as("a write").containsExactly("GET", "EVALSHA");
		}
	}

	@Test
	void aReadWhoseTouchIsDueIsOneScriptThatReadsAndTouches() throws Exception {
		// a touch is due after a quarter of the timeout, 1 s; the session lasts 4 s, far
		// more than a loaded machine delays the read by
		try (ConfigurableApplicationContext app = start("--session.timeout=4");
				RedisMonitor monitor = new RedisMonitor(this.redis.prefix())) {
			HttpClientWithCookies client = new HttpClientWithCookies(RedisTestApplication.port(app));
			client.get("/count");
			Thread.sleep(1100);

			monitor.clear();
			assertThat(client.get("/read").body()).isEqualTo("1");

			assertThat(monitor.clientCommands()).as("a read due to touch").containsExactly("EVALSHA");
			assertThat(monitor.scriptCommands()).containsExactly("GET", "SETRANGE", "PEXPIRE");
		}
	}

	@Test
	void aSessionStartedOnOneInstanceIsUsedOnTheOther() {
		try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
			HttpClientWithCookies one = new HttpClientWithCookies(RedisTestApplication.port(first));
			HttpClientWithCookies two = new HttpClientWithCookies(RedisTestApplication.port(second));
			assertThat(one.get("/count").body()).isEqualTo("1");
			two.setCookie(COOKIE, one.cookie(COOKIE));

			assertThat(two.get("/count").body()).isEqualTo("2");
			assertThat(one.get("/read").body()).isEqualTo("2");
			two.get("/reset");
			assertThat(one.get("/read").body()).as("killed on the other instance").isEqualTo("0");
		}
	}

	/**
	 * Counts once, then {@value #PARALLEL} times in parallel, alternately on either
	 * instance, with {@code session.lock}: every count sees the one before.
	 */
	@Test
	void withTheLockParallelCountsOfOneSessionAcrossTwoInstancesEachSeeTheOneBefore() throws Exception {
		try (ConfigurableApplicationContext first = start("--session.lock=true");
				ConfigurableApplicationContext second = start("--session.lock=true")) {
			HttpClientWithCookies one = new HttpClientWithCookies(RedisTestApplication.port(first));
			HttpClientWithCookies two = new HttpClientWithCookies(RedisTestApplication.port(second));
			assertThat(one.get("/count").body()).isEqualTo("1");
			two.setCookie(COOKIE, one.cookie(COOKIE));

			List<String> counts = ParallelCounts.count(PARALLEL, List.of(one, two));

			assertThat(counts).containsExactlyInAnyOrderElementsOf(ParallelCounts.eachAfterTheFirst(PARALLEL));
			assertThat(this.redis.keys()).as("no lock left behind").noneMatch((key) -> key.endsWith(":lock"));
		}
	}

	@Test
	void aSessionThatRedisExpiredIsReportedExpiredWhereRedisNotifies() throws Exception {
		String previous = config("notify-keyspace-events");
		this.redis.setConfig("notify-keyspace-events", previous.contains("E") ? previous + "x" : previous + "Ex");
		try (ConfigurableApplicationContext app = start("--session.timeout=1")) {
			await().atMost(Duration.ofSeconds(10)).until(app.getBean(RedisExpirySubscription.class)::isSubscribed);
			HttpClientWithCookies client = new HttpClientWithCookies(RedisTestApplication.port(app));
			client.get("/count");
			RedisTestApplication.ExpiredSessions expired = app.getBean(RedisTestApplication.ExpiredSessions.class);

			await().atMost(Duration.ofSeconds(10)).until(() -> !expired.ids.isEmpty());

			assertThat(expired.ids).hasSize(1);
			assertThat(client.get("/read").body()).as("a fresh session").isEqualTo("0");
		}
		finally {
			this.redis.setConfig("notify-keyspace-events", previous);
		}
	}

	@Test
	void aRedisThatLostItsDataGivesFreshSessionsAndNothingWorse() {
		try (ConfigurableApplicationContext app = start()) {
			HttpClientWithCookies client = new HttpClientWithCookies(RedisTestApplication.port(app));
			client.get("/count");
			client.get("/count");

			this.redis.flush();

			HttpResponse<String> answer = client.get("/count");
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.body()).isEqualTo("1");
		}
	}

	@Test
	void aRedisThatHangsIsAnswered503WithinTheCommandTimeoutAndRecoveredFromWithoutARestart() {
		try (TcpProxy proxy = new TcpProxy(Services.REDIS_PORT);
				ConfigurableApplicationContext app = RedisTestApplication.start(proxy.port(), this.redis.prefix(),
						"--spring.data.redis.timeout=500ms")) {
			HttpClientWithCookies client = new HttpClientWithCookies(RedisTestApplication.port(app));
			assertThat(client.get("/count").body()).isEqualTo("1");

			proxy.setLatency(Duration.ofSeconds(5));
			long start = System.nanoTime();
			HttpResponse<String> hung = client.get("/count");
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			proxy.setLatency(Duration.ZERO);

			assertThat(hung.statusCode()).isEqualTo(503);
			assertThat(hung.headers().firstValue("Retry-After")).hasValue("5");
			// well under the 5 s that Redis hangs for: answered by the timeout, not by
			// Redis
			assertThat(took).as("spring.data.redis.timeout is 500ms").isLessThan(Duration.ofSeconds(4));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(client.get("/count").statusCode()).isEqualTo(200));
			assertThat(client.get("/read").body()).as("the session, kept through the hang").isEqualTo("2");
		}
	}

	private String config(String name) {
		try (RedisConnection connection = this.redis.factory().getConnection()) {
			Properties config = connection.serverCommands().getConfig(name);
			return config.getProperty(name, "");
		}
	}

}
