package io.github.webpysession.web;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testapp.TestApplication.Hold;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.ParallelCounts;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code session.lock}: the requests of one session run one at a time, with a bounded
 * wait.
 */
class SessionLockHttpTests {

	private static final int PARALLEL = 30;

	/**
	 * Counts once, then {@value #PARALLEL} times in parallel; returns the answers of the
	 * parallel ones.
	 */
	static List<String> countInParallel(HttpClientWithCookies client) throws Exception {
		assertThat(client.get("/count").body()).isEqualTo("1");
		return ParallelCounts.count(PARALLEL, List.of(client));
	}

	/** Starts a {@code /hold} request and returns once it holds its session. */
	static CompletableFuture<HttpResponse<String>> hold(HttpClientWithCookies client, Hold hold)
			throws InterruptedException {
		CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> client.get("/hold"));
		hold.awaitEntered();
		return held;
	}

	/**
	 * Locks are released as requests complete, which may be just after their answer
	 * arrived.
	 */
	static void awaitNoLockLeft(LocalSessionLocks locks) {
		await().atMost(Duration.ofSeconds(10)).until(() -> locks.size() == 0);
	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "session.store=memory", "session.lock=true" })
	class OnMemory {

		@LocalServerPort
		int port;

		@Autowired
		LocalSessionLocks locks;

		@Test
		void parallelCountsOfOneSessionEachSeeTheOneBefore() throws Exception {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			List<String> counts = countInParallel(client);
			assertThat(counts).containsExactlyInAnyOrderElementsOf(ParallelCounts.eachAfterTheFirst(PARALLEL));
			assertThat(client.get("/read").body()).isEqualTo(String.valueOf(PARALLEL + 1));
		}

		@Test
		void noLockIsLeftOnceTheRequestsAreDone() throws Exception {
			countInParallel(new HttpClientWithCookies(this.port));
			awaitNoLockLeft(this.locks);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "session.store=disk", "session.lock=true" })
	class OnDisk {

		@TempDir
		static Path directory;

		@DynamicPropertySource
		static void diskDirectory(DynamicPropertyRegistry registry) {
			registry.add("session.disk.directory", () -> directory.resolve("sessions").toString());
		}

		@LocalServerPort
		int port;

		@Test
		void parallelCountsOfOneSessionEndAtExactlyAsManyMore() throws Exception {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			countInParallel(client);
			assertThat(client.get("/read").body()).isEqualTo(String.valueOf(PARALLEL + 1));
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "session.store=memory", "session.lock=true", "session.lock-timeout=100ms" })
	class WithATinyLockTimeout {

		@LocalServerPort
		int port;

		@Autowired
		Hold hold;

		@Autowired
		LocalSessionLocks locks;

		@Test
		void aRequestThatWaitsLongerThanTheLockTimeoutIsAnswered503() throws Exception {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			client.get("/count");
			CompletableFuture<HttpResponse<String>> held = hold(client, this.hold);
			try {
				HttpResponse<String> waited = client.get("/count");
				assertThat(waited.statusCode()).isEqualTo(503);
				assertThat(waited.body())
					.isEqualTo("Another request of this session is still running; please try again shortly.");
				assertThat(waited.headers().firstValue("Retry-After")).hasValue("1");
			}
			finally {
				this.hold.release();
			}
			assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("1");
			assertThat(client.get("/count").body()).isEqualTo("2");
			awaitNoLockLeft(this.locks);
		}

		@Test
		void aRequestThatNeverTouchesItsSessionDoesNotWait() throws Exception {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			client.get("/count");
			CompletableFuture<HttpResponse<String>> held = hold(client, this.hold);
			try {
				assertThat(client.get("/plain").statusCode()).isEqualTo(200);
			}
			finally {
				this.hold.release();
			}
			held.get(10, TimeUnit.SECONDS);
		}

		@Test
		void requestsOfOtherSessionsDoNotWait() throws Exception {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			HttpClientWithCookies other = new HttpClientWithCookies(this.port);
			client.get("/count");
			other.get("/count");
			CompletableFuture<HttpResponse<String>> held = hold(client, this.hold);
			try {
				assertThat(other.get("/count").body()).isEqualTo("2");
			}
			finally {
				this.hold.release();
			}
			held.get(10, TimeUnit.SECONDS);
		}

		@Test
		void theLockIsReleasedWhenTheHandlerThrows() {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			client.get("/count");
			assertThat(client.get("/throw").statusCode()).isEqualTo(500);
			assertThat(client.get("/count").body()).isEqualTo("2");
			awaitNoLockLeft(this.locks);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "session.store=memory")
	class WithoutLock {

		@LocalServerPort
		int port;

		@Autowired
		Hold hold;

		@Test
		void requestsOfOneSessionDoNotWaitForEachOther() throws Exception {
			HttpClientWithCookies client = new HttpClientWithCookies(this.port);
			client.get("/count");
			CompletableFuture<HttpResponse<String>> held = hold(client, this.hold);
			try {
				assertThat(client.get("/count").body()).isEqualTo("2");
				assertThat(held).isNotDone();
			}
			finally {
				this.hold.release();
			}
			held.get(10, TimeUnit.SECONDS);
		}

	}

}
