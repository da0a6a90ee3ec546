package io.github.webpysession.web;

import java.util.Set;
import java.util.function.Consumer;

import io.github.webpysession.Session;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Session} API as the contract states it, one request at a time.
 */
class SessionApiTests {

	private final MemorySessionStore store = new MemorySessionStore();

	private final InProcessClient client = new InProcessClient(
			InProcessClient.lifecycle(this.store, new MutableClock()));

	private Session request(Consumer<Session> handler) {
		return this.client.request(handler);
	}

	@Test
	void aSessionIsNewUntilItHasBeenStoredOnce() {
		boolean[] seen = new boolean[2];
		request((session) -> {
			seen[0] = session.isNew();
			session.put("k", "v");
		});
		request((session) -> seen[1] = session.isNew());
		assertThat(seen[0]).isTrue();
		assertThat(seen[1]).isFalse();
	}

	@Test
	void aSessionNothingWasWrittenToStaysNew() {
		request(Session::keys);
		assertThat(request(Session::isNew).isNew()).isTrue();
		assertThat(this.store.size()).isZero();
	}

	@Test
	void getWithADefaultAnswersTheDefaultOnlyForAMissingKey() {
		request((session) -> session.put("count", 3));
		request((session) -> {
			assertThat(session.get("count", 0)).isEqualTo(3);
			assertThat(session.get("missing", 7)).isEqualTo(7);
			assertThat(session.<Object>get("missing")).isNull();
		});
	}

	@Test
	void putOfNullRemovesTheKeyAndTheRemovalIsStored() {
		request((session) -> session.put("k", "v"));
		request((session) -> session.put("k", null));
		request((session) -> {
			assertThat(session.contains("k")).isFalse();
			assertThat(session.keys()).doesNotContain("k");
		});
	}

	@Test
	void removeAnswersThePreviousValueAndTheRemovalIsStored() {
		request((session) -> session.put("k", "v"));
		request((session) -> {
			assertThat(session.remove("k")).isEqualTo("v");
			assertThat(session.remove("k")).isNull();
		});
		request((session) -> assertThat(session.contains("k")).isFalse());
	}

	@Test
	void keysAreTheKeysWithAValueAsASnapshot() {
		request((session) -> {
			session.put("a", 1);
			session.put("b", 2);
			Set<String> keys = session.keys();
			session.put("c", 3);
			assertThat(keys).containsExactlyInAnyOrder("a", "b");
		});
		request((session) -> assertThat(session.keys()).containsExactlyInAnyOrder("a", "b", "c"));
	}

	@Test
	void containsTellsWhetherAKeyHasAValue() {
		request((session) -> session.put("a", 1));
		request((session) -> {
			assertThat(session.contains("a")).isTrue();
			assertThat(session.contains("b")).isFalse();
		});
	}

	@Test
	void regenerateIdAnswersTheNewIdWhichGetIdThenAnswers() {
		request((session) -> session.put("a", 1));
		request((session) -> {
			String old = session.getId();
			String fresh = session.regenerateId();
			assertThat(fresh).isNotEqualTo(old);
			assertThat(session.getId()).isEqualTo(fresh);
		});
		assertThat(this.client.lastResponse().getCookie(InProcessClient.COOKIE)).isNotNull();
		request((session) -> assertThat(session.<Integer>get("a")).isEqualTo(1));
	}

	@Test
	void writesAfterKillAreNotStored() {
		request((session) -> session.put("a", 1));
		request((session) -> {
			session.kill();
			session.put("b", 2);
		});
		assertThat(this.store.size()).isZero();
	}

	@Test
	void aPrincipalNameSetAloneIsStored() {
		request((session) -> session.put("a", 1));
		request((session) -> session.setPrincipalName("alice"));

		assertThat(request(Session::getPrincipalName).getPrincipalName()).isEqualTo("alice");
	}

}
