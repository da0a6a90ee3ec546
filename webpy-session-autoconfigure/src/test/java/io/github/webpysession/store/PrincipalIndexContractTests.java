package io.github.webpysession.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract, and what every store that keeps an index of sessions by principal
 * name does ({@link SessionStore#findByPrincipalName}). A store's test extends this class
 * instead of {@link SessionStoreContractTests} once its store keeps the index; a store
 * whose index survives a restart also says how to restart it ({@link #reopenStore}),
 * which runs the restart tests.
 */
public abstract class PrincipalIndexContractTests extends SessionStoreContractTests {

	private static final String ALICE = "alice";

	private static final String BOB = "bob";

	/**
	 * A new instance of the store on what {@code store} keeps, as after a restart of the
	 * application; closes {@code store} first where it must be closed. By default the
	 * store keeps nothing across a restart, and the tests that need one are skipped.
	 */
	protected SessionStore reopenStore(SessionStore store) throws Exception {
		Assumptions.abort(store + " keeps nothing across a restart");
		return store;
	}

	/** Restarts the store under test, as {@link #reopenStore} says. */
	protected final void restart() throws Exception {
		this.store = reopenStore(this.store);
	}

	protected List<String> idsOf(String principalName) {
		return this.store.findByPrincipalName(principalName).stream().map(StoredSession::id).toList();
	}

	@Test
	void aCreatedSessionIsFoundUnderItsPrincipalNameWithItsDataVersionAndLastAccess() {
		String id = newId();
		this.store.create(id, bytes("data"), ALICE, T0);

		List<StoredSession> found = this.store.findByPrincipalName(ALICE);

		assertThat(found).hasSize(1);
		StoredSession session = found.get(0);
		assertThat(session.id()).isEqualTo(id);
		assertThat(session.data()).isEqualTo(bytes("data"));
		assertThat(session.version()).isZero();
		assertThat(session.lastAccessed()).isEqualTo(T0);
		assertThat(session.principalName()).isEqualTo(ALICE);
	}

	@Test
	void aCreatedSessionLoadsWithItsPrincipalName() {
		String id = newId();
		this.store.create(id, bytes("data"), ALICE, T0);
		assertThat(this.store.load(id).principalName()).isEqualTo(ALICE);
	}

	@Test
	void aSessionIsNotFoundUnderAnyOtherName() {
		this.store.create(newId(), bytes("data"), ALICE, T0);
		for (String other : List.of(BOB, "Alice", "ALICE", "alic", "alice ", " alice", "alicex", "", "null")) {
			assertThat(this.store.findByPrincipalName(other)).as(other).isEmpty();
		}
	}

	@Test
	void aSessionWithoutPrincipalIsFoundUnderNoName() {
		this.store.create(newId(), bytes("data"), null, T0);
		this.store.create(newId(), bytes("data"), T0);
		assertThat(this.store.findByPrincipalName("")).isEmpty();
		assertThat(this.store.findByPrincipalName("null")).isEmpty();
	}

	@Test
	void aNameIsUnknownUntilASessionIsCreatedUnderIt() {
		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
	}

	@Test
	void aCreateThatCollidesIndexesNothingUnderItsName() {
		String id = newId();
		this.store.create(id, bytes("first"), ALICE, T0);
		assertThat(this.store.create(id, bytes("second"), BOB, T0)).isFalse();
		assertThat(this.store.findByPrincipalName(BOB)).isEmpty();
		assertThat(idsOf(ALICE)).containsExactly(id);
	}

	@Test
	void anUpdateThatChangesTheNameMovesTheSession() {
		String id = newId();
		this.store.create(id, bytes("one"), ALICE, T0);

		assertThat(this.store.update(id, bytes("two"), BOB, T0.plusSeconds(1), 0)).isTrue();

		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
		List<StoredSession> found = this.store.findByPrincipalName(BOB);
		assertThat(found).extracting(StoredSession::id).containsExactly(id);
		assertThat(found.get(0).data()).isEqualTo(bytes("two"));
		assertThat(found.get(0).version()).isEqualTo(1);
		assertThat(found.get(0).principalName()).isEqualTo(BOB);
	}

	@Test
	void anUpdateThatKeepsTheNameKeepsTheSessionFoundWithItsNewData() {
		String id = newId();
		this.store.create(id, bytes("one"), ALICE, T0);
		this.store.update(id, bytes("two"), ALICE, T0.plusSeconds(1), 0);
		List<StoredSession> found = this.store.findByPrincipalName(ALICE);
		assertThat(found).extracting(StoredSession::id).containsExactly(id);
		assertThat(found.get(0).data()).isEqualTo(bytes("two"));
	}

	@Test
	void anUpdateToNoNameUnindexesTheSession() {
		String id = newId();
		this.store.create(id, bytes("one"), ALICE, T0);

		this.store.update(id, bytes("two"), null, T0.plusSeconds(1), 0);

		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
		assertThat(this.store.load(id).principalName()).isNull();
	}

	@Test
	void anUpdateGivesANameToASessionCreatedWithout() {
		String id = newId();
		this.store.create(id, bytes("anonymous"), null, T0);
		this.store.update(id, bytes("logged in"), ALICE, T0.plusSeconds(1), 0);
		assertThat(idsOf(ALICE)).containsExactly(id);
	}

	@Test
	void anUpdateAtAStaleVersionMovesNothing() {
		String id = newId();
		this.store.create(id, bytes("one"), ALICE, T0);
		this.store.update(id, bytes("two"), ALICE, T0, 0);

		assertThat(this.store.update(id, bytes("three"), BOB, T0, 0)).isFalse();

		assertThat(idsOf(ALICE)).containsExactly(id);
		assertThat(this.store.findByPrincipalName(BOB)).isEmpty();
	}

	@Test
	void anUpdateOfAMissingSessionIndexesNothing() {
		assertThat(this.store.update(newId(), bytes("x"), ALICE, T0, 0)).isFalse();
		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
	}

	@Test
	void aDeletedSessionIsNotFound() {
		String deleted = newId();
		String kept = newId();
		this.store.create(deleted, bytes("x"), ALICE, T0);
		this.store.create(kept, bytes("y"), ALICE, T0);

		this.store.delete(deleted);

		assertThat(idsOf(ALICE)).containsExactly(kept);
	}

	@Test
	void aDeletedIdCreatedAgainUnderAnotherNameIsFoundUnderThatNameOnly() {
		String id = newId();
		this.store.create(id, bytes("x"), ALICE, T0);
		this.store.delete(id);
		this.store.create(id, bytes("y"), BOB, T0);
		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
		assertThat(idsOf(BOB)).containsExactly(id);
	}

	@Test
	void expiredSessionsAreFoundUntilTheCleanupRemovesThem() {
		String expired = newId();
		this.store.create(expired, bytes("x"), ALICE, T0.minus(Duration.ofDays(365)));
		assertThat(idsOf(ALICE)).containsExactly(expired);
	}

	@Test
	void aCleanedUpSessionIsNotFound() throws Exception {
		String expired = newId();
		String live = newId();
		this.store.create(expired, bytes("x"), ALICE, T0);
		this.store.create(live, bytes("y"), ALICE, T0.plusSeconds(100));

		assertThat(expireAccessedBefore(T0.plusSeconds(50))).isEqualTo(1);

		assertThat(idsOf(ALICE)).containsExactly(live);
	}

	@Test
	void aCleanedUpIdCreatedAgainIsFoundOnlyUnderItsNewName() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), ALICE, T0);
		expireAccessedBefore(T0.plusSeconds(1));
		this.store.create(id, bytes("y"), BOB, T0.plusSeconds(2));
		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
		assertThat(idsOf(BOB)).containsExactly(id);
	}

	@Test
	void touchKeepsThePrincipalName() {
		String id = newId();
		this.store.create(id, bytes("x"), ALICE, T0);

		this.store.touch(id, T0.plus(Duration.ofHours(1)));

		assertThat(this.store.load(id).principalName()).isEqualTo(ALICE);
		List<StoredSession> found = this.store.findByPrincipalName(ALICE);
		assertThat(found).extracting(StoredSession::id).containsExactly(id);
		assertThat(found.get(0).lastAccessed()).isEqualTo(T0.plus(Duration.ofHours(1)));
	}

	@Test
	void aTouchedSessionIsStillFoundAfterTheCleanupOfItsCreationTime() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), ALICE, T0);
		this.store.touch(id, T0.plus(Duration.ofHours(1)));
		expireAccessedBefore(T0.plusSeconds(1));
		assertThat(idsOf(ALICE)).containsExactly(id);
	}

	@Test
	void everySessionOfOnePrincipalIsFoundAndNoneOfAnother() {
		Set<String> alices = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			String id = newId();
			this.store.create(id, bytes("a" + i), ALICE, T0);
			alices.add(id);
			this.store.create(newId(), bytes("b" + i), BOB, T0);
			this.store.create(newId(), bytes("anonymous" + i), null, T0);
		}
		assertThat(idsOf(ALICE)).containsExactlyInAnyOrderElementsOf(alices);
		assertThat(idsOf(BOB)).hasSize(100).doesNotContainAnyElementsOf(alices);
	}

	/** Names that a file name, a path or a key separator would mistake. */
	protected static List<String> hostileNames() {
		return List.of("名前 😀 Ωmega", "a/b", "/etc/passwd", "..", "../..", "../../../outside", ".", "a\\b", "C:\\x",
				"tab\tand\nnewline", "", " ", "x".repeat(1000), "é".repeat(1000), "..%2F..%2Fx", "%s%n", "*", "?",
				"CON", "nul", "alice/" + newId());
	}

	@Test
	void hostileNamesAreEachFoundUnderThemselvesOnly() {
		List<String> names = hostileNames();
		List<String> ids = new ArrayList<>();
		for (String name : names) {
			String id = newId();
			assertThat(this.store.create(id, bytes(name), name, T0)).as(name).isTrue();
			ids.add(id);
		}
		for (int i = 0; i < names.size(); i++) {
			List<StoredSession> found = this.store.findByPrincipalName(names.get(i));
			assertThat(found).as(names.get(i)).extracting(StoredSession::id).containsExactly(ids.get(i));
			assertThat(found.get(0).principalName()).isEqualTo(names.get(i));
		}
	}

	@Test
	void namesWithNulCharactersAreEachFoundUnderThemselvesOnly() {
		String id = newId();
		String other = newId();
		this.store.create(id, bytes("x"), ALICE + "\0" + other, T0);
		this.store.create(other, bytes("y"), ALICE, T0);
		this.store.create(newId(), bytes("z"), "\0", T0);
		assertThat(idsOf(ALICE + "\0" + other)).containsExactly(id);
		assertThat(idsOf(ALICE)).containsExactly(other);
		assertThat(this.store.findByPrincipalName("\0")).hasSize(1);
		assertThat(this.store.findByPrincipalName("")).isEmpty();
	}

	@Test
	void hostileNamesAreUnindexedByDeleteUpdateAndCleanup() throws Exception {
		List<String> names = hostileNames();
		for (String name : names) {
			String deleted = newId();
			String moved = newId();
			String expired = newId();
			this.store.create(deleted, bytes("x"), name, T0.plusSeconds(10));
			this.store.create(moved, bytes("x"), name, T0.plusSeconds(10));
			this.store.create(expired, bytes("x"), name, T0);
			this.store.delete(deleted);
			this.store.update(moved, bytes("y"), ALICE, T0.plusSeconds(10), 0);
		}
		expireAccessedBefore(T0.plusSeconds(1));
		for (String name : names) {
			assertThat(this.store.findByPrincipalName(name)).as(name).isEmpty();
		}
		assertThat(idsOf(ALICE)).hasSize(names.size());
	}

	@Test
	void concurrentWritesOfOneSessionLeaveItUnderTheNameOfTheLastWriteOnly() throws Exception {
		String id = newId();
		this.store.create(id, bytes("none"), null, T0);
		int writers = 32;
		concurrently(writers, (i) -> {
			for (int round = 0; round < 5; round++) {
				while (true) {
					StoredSession current = this.store.load(id);
					if (this.store.update(id, bytes("w" + i), "user-" + i, T0, current.version())) {
						break;
					}
				}
			}
			return true;
		});
		String last = this.store.load(id).principalName();
		assertThat(last).startsWith("user-");
		for (int i = 0; i < writers; i++) {
			String name = "user-" + i;
			assertThat(idsOf(name)).as(name).isEqualTo(name.equals(last) ? List.of(id) : List.of());
		}
	}

	@Test
	void concurrentCreatesUnderOneNameAreAllFound() throws Exception {
		List<String> ids = concurrently(50, (i) -> {
			String id = newId();
			this.store.create(id, bytes("s" + i), ALICE, T0);
			return id;
		});
		assertThat(idsOf(ALICE)).containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void findsRacingDeletesAndMovesAnswerOnlySessionsOfTheirName() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String id = newId();
			this.store.create(id, bytes("x"), ALICE, T0);
			ids.add(id);
		}
		List<Boolean> results = concurrently(80, (i) -> {
			if (i % 2 == 0) {
				String id = ids.get(i / 2);
				if (i % 4 == 0) {
					this.store.delete(id);
				}
				else {
					this.store.update(id, bytes("y"), BOB, T0, 0);
				}
				return true;
			}
			return this.store.findByPrincipalName(ALICE).stream().allMatch((s) -> ALICE.equals(s.principalName()));
		});
		assertThat(results).containsOnly(true);
		assertThat(this.store.findByPrincipalName(ALICE)).isEmpty();
		assertThat(idsOf(BOB)).hasSize(20);
	}

	@Test
	void theIndexSurvivesARestart() throws Exception {
		String kept = newId();
		String moved = newId();
		String unnamed = newId();
		String deleted = newId();
		this.store.create(kept, bytes("kept"), ALICE, T0);
		this.store.create(moved, bytes("moved"), ALICE, T0);
		this.store.create(unnamed, bytes("unnamed"), ALICE, T0);
		this.store.create(deleted, bytes("deleted"), ALICE, T0);
		this.store.update(moved, bytes("moved"), BOB, T0, 0);
		this.store.update(unnamed, bytes("unnamed"), null, T0, 0);
		this.store.touch(kept, T0.plusSeconds(5));
		this.store.delete(deleted);

		restart();

		assertThat(idsOf(ALICE)).containsExactly(kept);
		assertThat(idsOf(BOB)).containsExactly(moved);
		assertThat(this.store.findByPrincipalName(ALICE).get(0).lastAccessed()).isEqualTo(T0.plusSeconds(5));
	}

	@Test
	void afterARestartTheIndexFollowsUpdatesDeletesAndTheCleanup() throws Exception {
		String moved = newId();
		String deleted = newId();
		String expired = newId();
		this.store.create(moved, bytes("x"), ALICE, T0.plusSeconds(10));
		this.store.create(deleted, bytes("x"), ALICE, T0.plusSeconds(10));
		this.store.create(expired, bytes("x"), ALICE, T0);

		restart();
		this.store.update(moved, bytes("y"), BOB, T0.plusSeconds(10), 0);
		this.store.delete(deleted);
		expireAccessedBefore(T0.plusSeconds(1));
		String created = newId();
		this.store.create(created, bytes("z"), ALICE, T0.plusSeconds(10));

		assertThat(idsOf(ALICE)).containsExactly(created);
		assertThat(idsOf(BOB)).containsExactly(moved);
		restart();
		assertThat(idsOf(ALICE)).containsExactly(created);
		assertThat(idsOf(BOB)).containsExactly(moved);
	}

}
