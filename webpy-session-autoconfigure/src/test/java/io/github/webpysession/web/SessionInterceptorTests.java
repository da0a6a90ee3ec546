package io.github.webpysession.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.Session;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle's decisions that real HTTP cannot provoke on demand.
 */
class SessionInterceptorTests {

	private final MutableClock clock = new MutableClock();


	@Test
	void aNewIdThatCollidesWithAStoredSessionIsReplacedAndTheCookieCarriesTheReplacement() {
		CollidingOnceStore store = new CollidingOnceStore();
		SessionInterceptor interceptor = interceptor(store);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/count");
		MockHttpServletResponse response = new MockHttpServletResponse();
		interceptor.preHandle(request, response, new Object());
		Session session = SessionInterceptor.current(request);
		session.put("count", 1);
		String firstId = session.getId();

		interceptor.save(request);

		assertThat(store.refused).containsExactly(firstId);
		assertThat(session.getId()).isNotEqualTo(firstId);
		assertThat(store.load(session.getId())).isNotNull();
		assertThat(response.getHeaders("Set-Cookie")).last()
			.satisfies((header) -> assertThat(header).startsWith(InProcessClient.COOKIE + "=" + session.getId() + ";"));
	}

	@Test
	void aSecondSaveOfTheSameRequestWritesNothingMore() {
		CountingStore store = new CountingStore();
		SessionInterceptor interceptor = interceptor(store);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/count");
		interceptor.preHandle(request, new MockHttpServletResponse(), new Object());
		SessionInterceptor.current(request).put("count", 1);

		interceptor.save(request);
		interceptor.save(request);

		assertThat(store.writes).isEqualTo(1);
	}

	private SessionInterceptor interceptor(MemorySessionStore store) {
		return new SessionInterceptor(InProcessClient.lifecycle(store, this.clock));
	}

	/** Reports the first id it is asked to create as taken. */
	static class CollidingOnceStore extends MemorySessionStore {

		final List<String> refused = new ArrayList<>();

		@Override
		public boolean create(String id, byte[] data, Instant now) {
			if (this.refused.isEmpty()) {
				this.refused.add(id);
				return false;
			}
			return super.create(id, data, now);
		}

	}

	/** Counts writes. */
	static class CountingStore extends MemorySessionStore {

		int writes;

		@Override
		public boolean create(String id, byte[] data, Instant now) {
			this.writes++;
			return super.create(id, data, now);
		}

		@Override
		public boolean update(String id, byte[] data, Instant now, long expectedVersion) {
			this.writes++;
			return super.update(id, data, now, expectedVersion);
		}

		@Override
		public void touch(String id, Instant now) {
			this.writes++;
			super.touch(id, now);
		}

	}

}
