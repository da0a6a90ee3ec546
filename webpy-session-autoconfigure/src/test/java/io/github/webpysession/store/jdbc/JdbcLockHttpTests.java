package io.github.webpysession.store.jdbc;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code session.lock} on the JDBC store over real HTTP: two instances of an application
 * on one table, each with an embedded server of its own, serve the requests of one
 * session one at a time.
 */
class JdbcLockHttpTests {

	private static final String COOKIE = "webpy_session_id";

	private static final int PARALLEL = 30;

	/**
	 * Each instance serves {@value #PARALLEL}/2 requests at once; a pool larger than that
	 * never makes one wait for a connection, whether it holds the lock, waits for it or
	 * uses the store.
	 */
	private static final int POOL_SIZE = 20;

	@Test
	void onPostgresParallelCountsOfOneSessionAcrossTwoInstancesEachSeeTheOneBefore() throws Exception {
		countInParallelAcrossTwoInstances(TestDatabase.POSTGRESQL);
	}

	@Test
	void onMariaDbParallelCountsOfOneSessionAcrossTwoInstancesEachSeeTheOneBefore() throws Exception {
		countInParallelAcrossTwoInstances(TestDatabase.MARIADB);
	}

	/**
	 * Counts once, then {@value #PARALLEL} times in parallel, alternately on either
	 * instance: every count sees the one before, so the answers are each number once, and
	 * none is lost.
	 */
	private static void countInParallelAcrossTwoInstances(TestDatabase database) throws Exception {
		database.require();
		String table = TestDatabase.newTableName();
		try (ConfigurableApplicationContext first = start(database, table);
				ConfigurableApplicationContext second = start(database, table)) {
			HttpClientWithCookies one = new HttpClientWithCookies(JdbcTestApplication.port(first));
			HttpClientWithCookies two = new HttpClientWithCookies(JdbcTestApplication.port(second));
			assertThat(one.get("/count").body()).isEqualTo("1");
			two.setCookie(COOKIE, one.cookie(COOKIE));

			List<String> counts = countInParallel(List.of(one, two));

			assertThat(counts).containsExactlyInAnyOrderElementsOf(
					IntStream.rangeClosed(2, PARALLEL + 1).mapToObj(String::valueOf).toList());
			assertThat(two.get("/count").body()).isEqualTo(String.valueOf(PARALLEL + 2));
		}
		finally {
			try (HikariDataSource dataSource = database.dataSource()) {
				TestDatabase.dropTables(dataSource, table);
			}
		}
	}

	private static List<String> countInParallel(List<HttpClientWithCookies> clients) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(PARALLEL);
		try {
			List<Future<HttpResponse<String>>> responses = IntStream.range(0, PARALLEL)
				.mapToObj((i) -> executor.submit(() -> clients.get(i % clients.size()).get("/count")))
				.toList();
			List<String> counts = new ArrayList<>();
			for (Future<HttpResponse<String>> response : responses) {
				HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
				assertThat(answer.statusCode()).isEqualTo(200);
				counts.add(answer.body());
			}
			return counts;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database, String table) {
		return JdbcTestApplication.start(database.url(), database.user(), table, "--session.lock=true",
				"--spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE);
	}

}
