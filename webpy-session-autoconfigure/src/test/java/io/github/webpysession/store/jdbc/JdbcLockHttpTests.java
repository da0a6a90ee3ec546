package io.github.webpysession.store.jdbc;

import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.ParallelCounts;
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

			List<String> counts = ParallelCounts.count(PARALLEL, List.of(one, two));

			assertThat(counts).containsExactlyInAnyOrderElementsOf(ParallelCounts.eachAfterTheFirst(PARALLEL));
			assertThat(two.get("/count").body()).isEqualTo(String.valueOf(PARALLEL + 2));
		}
		finally {
			try (HikariDataSource dataSource = database.dataSource()) {
				TestDatabase.dropTables(dataSource, table);
			}
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database, String table) {
		return JdbcTestApplication.start(database.url(), database.user(), table, "--session.lock=true",
				"--spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE);
	}

}
