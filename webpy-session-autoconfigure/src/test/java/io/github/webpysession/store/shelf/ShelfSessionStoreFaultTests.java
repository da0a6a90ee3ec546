package io.github.webpysession.store.shelf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.testsupport.OnASmallFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A shelf store on a real file system that runs out of space: the write that finds no
 * space fails with a {@link SessionStoreException}, MVStore closes the file, and the
 * store opens it again by itself once space is back, with every write committed before
 * the failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShelfSessionStoreFaultTests extends OnASmallFileSystem {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/**
	 * More than the free space inside the file, so that a commit of it needs new blocks.
	 */
	private static final byte[] LARGE = new byte[200 * 1024];

	private ShelfSessionStore store;

	private final List<StoredSession> committed = new ArrayList<>();

	@BeforeEach
	void commitSomeSessions() {
		this.store = new ShelfSessionStore(file());
		this.committed.addAll(commitSessions(this.store, 20));
	}

	/**
	 * Creates {@code count} sessions, updates every other one and touches every fifth:
	 * what is committed of each.
	 */
	private static List<StoredSession> commitSessions(ShelfSessionStore store, int count) {
		List<StoredSession> committed = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = newId();
			store.create(id, bytes("session " + i), T0);
			if (i % 2 == 0) {
				store.update(id, bytes("updated " + i), T0.plusSeconds(i), 0);
			}
			if (i % 5 == 0) {
				store.touch(id, T0.plusSeconds(1000 + i));
			}
			committed.add(store.load(id));
		}
		return committed;
	}

	@AfterEach
	void repair() throws Exception {
		disk.repair();
		this.store.close();
		Files.deleteIfExists(file());
	}

	private static Path file() {
		return disk.root().resolve("session.shelf");
	}

	@Test
	void aWriteThatFindsNoSpaceFailsNamingTheStoreAndTheCause() {
		disk.fill();

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.create(newId(), LARGE, T0))
			.withMessageContaining("Shelf session store in " + file())
			.withMessageContaining("cannot write the file");
	}

	@Test
	void whileThereIsNoSpaceEveryWriteNeedingSomeFails() {
		disk.fill();

		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(SessionStoreException.class)
				.isThrownBy(() -> this.store.create(newId(), LARGE, T0));
		}
	}

	@Test
	void onceSpaceIsBackTheNextWriteSucceedsWithoutARestart() {
		failAWrite();

		disk.empty();

		String id = newId();
		assertThat(this.store.create(id, LARGE, T0)).isTrue();
		assertThat(this.store.load(id).data()).isEqualTo(LARGE);
	}

	@Test
	void onceSpaceIsBackEverySessionCommittedBeforeTheFailureLoads() {
		failAWrite();

		disk.empty();

		assertEveryCommittedSessionLoads(this.store);
		this.store.close();
		try (ShelfSessionStore reopened = new ShelfSessionStore(file())) {
			assertEveryCommittedSessionLoads(reopened);
		}
	}

	/*
	 * Without the commit that every opening makes, a file whose failed write had
	 * overwritten space freed just before opened with every session once, then, after a
	 * clean close, at one of its first versions. Where the failed write lands depends on
	 * how many sessions came before it.
	 */
	@Test
	void aFileLeftByAFailedWriteKeepsEverySessionOverRestartsWhateverCameBefore() throws Exception {
		for (int count = 1; count <= 12; count++) {
			Path file = disk.root().resolve("restarts-" + count + ".shelf");
			List<StoredSession> committed;
			try (ShelfSessionStore first = new ShelfSessionStore(file)) {
				committed = commitSessions(first, count);
				disk.fill();
				assertThatExceptionOfType(SessionStoreException.class)
					.isThrownBy(() -> first.create(newId(), LARGE, T0));
			}
			disk.empty();
			for (int restart = 1; restart <= 2; restart++) {
				try (ShelfSessionStore restarted = new ShelfSessionStore(file)) {
					for (StoredSession session : committed) {
						assertThat(restarted.load(session.id())).as("%d sessions, restart %d", count, restart)
							.usingRecursiveComparison()
							.isEqualTo(session);
					}
				}
			}
			Files.delete(file);
		}
	}

	@Test
	void theWriteThatFailedIsNotStoredAfterAll() {
		disk.fill();
		String failed = newId();
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.create(failed, LARGE, T0));

		disk.empty();

		assertThat(this.store.load(failed)).isNull();
		assertThat(this.store.create(failed, bytes("again"), T0)).isTrue();
	}

	@Test
	void updatesAfterRecoveryCompareWithTheLastCommittedVersion() {
		StoredSession session = this.committed.get(0);
		failAWrite();
		disk.empty();

		assertThat(this.store.update(session.id(), bytes("stale"), T0, session.version() - 1)).isFalse();
		assertThat(this.store.update(session.id(), bytes("current"), T0, session.version())).isTrue();
		assertThat(this.store.load(session.id()).version()).isEqualTo(session.version() + 1);
	}

	/*
	 * Opening the file commits, and on a full disk that commit fails. Done by every
	 * request, a thousand times a second, it left a file that MVStore could not open at
	 * all, in one of fifteen runs of the concurrent writers' test below.
	 */
	@Test
	void whileTheDiskStaysFullRequestsFailWithoutTouchingTheFile() throws Exception {
		failAWrite();
		byte[] before = Files.readAllBytes(file());

		for (int i = 0; i < 100; i++) {
			assertThatExceptionOfType(SessionStoreException.class)
				.isThrownBy(() -> this.store.load(this.committed.get(0).id()))
				.withMessageContaining("bytes free; the file is opened again once");
		}

		assertThat(Files.readAllBytes(file())).as("the file").isEqualTo(before);
		disk.empty();
		assertEveryCommittedSessionLoads(this.store);
	}

	/*
	 * A disk that the file itself filled, with chunks it no longer uses, frees no space
	 * by itself: the file is still tried again once a second, and a new opening may write
	 * over those chunks.
	 */
	@Test
	void whileTheDiskStaysFullTheFileIsTriedAgainOnceASecond() throws Exception {
		failAWrite();
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.load(newId()))
			.withMessageContaining("bytes free; the file is opened again once");

		Thread.sleep(ShelfFile.REOPEN_INTERVAL.toMillis() + 100);

		try {
			assertEveryCommittedSessionLoads(this.store);
		}
		catch (SessionStoreException ex) {
			assertThat(ex).as("a failure of the opening itself, not of the wait")
				.hasMessageNotContaining("bytes free; the file is opened again once");
		}
		disk.empty();
		assertEveryCommittedSessionLoads(this.store);
	}

	@Test
	void aReadWhileTheFileCannotBeOpenedAgainFailsWithAStoreException() {
		failAWrite();
		disk.readOnly(); // MVStore closed the file, so nothing holds it open for writing

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.load(this.committed.get(0).id()))
			.withMessageContaining("Shelf session store in " + file())
			.withMessageContaining("cannot be opened again");
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.deleteAccessedBefore(T0));

		disk.repair();

		assertEveryCommittedSessionLoads(this.store);
	}

	@Test
	void concurrentRequestsAfterAFailureOpenTheFileOnceAndAllSucceed(CapturedOutput output) throws Exception {
		failAWrite();
		disk.empty();
		int threads = 16;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				boolean reads = (i % 2 == 0);
				StoredSession session = this.committed.get(i);
				results.add(executor.submit((Callable<Boolean>) () -> {
					start.await();
					return reads ? this.store.load(session.id()) != null
							: this.store.update(session.id(), bytes("after"), T0, session.version());
				}));
			}
			start.countDown();
			for (Future<Boolean> result : results) {
				assertThat(result.get()).isTrue();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("opened the file again"))).hasSize(1);
	}

	/*
	 * Each writer owns one session. A write that failed may still have reached the file,
	 * when another writer's commit took it along before the failure: it is not
	 * acknowledged, so the final session may hold it, or the last acknowledged write, and
	 * nothing else.
	 */
	@Test
	void concurrentWritersAcrossAFullDiskLoseNoAcknowledgedWrite() throws Exception {
		int writers = 8;
		AtomicInteger failures = new AtomicInteger();
		AtomicBoolean spaceIsBack = new AtomicBoolean();
		Map<String, Long> acknowledged = new ConcurrentHashMap<>();
		Map<String, byte[]> attempted = new ConcurrentHashMap<>(); // id + "@" + version
																	// -> data
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int w = 0; w < writers; w++) {
				int writer = w;
				results.add(executor.submit(() -> write(writer, failures, spaceIsBack, acknowledged, attempted)));
			}
			disk.fill();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (failures.get() == 0 && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			assertThat(failures).as("writes that failed on the full disk").hasPositiveValue();
			disk.empty();
			spaceIsBack.set(true);
			for (Future<Integer> result : results) {
				assertThat(result.get()).as("writes acknowledged once space was back").isEqualTo(10);
			}
		}
		finally {
			executor.shutdownNow();
		}
		this.store.close();
		try (ShelfSessionStore restarted = new ShelfSessionStore(file())) {
			acknowledged.forEach((id, version) -> {
				StoredSession loaded = restarted.load(id);
				assertThat(loaded.version()).as(id).isGreaterThanOrEqualTo(version);
				assertThat(loaded.data()).as(id).isEqualTo(attempted.get(id + "@" + loaded.version()));
			});
		}
	}

	/**
	 * Writes one session until 10 writes are acknowledged after space is back, for at
	 * most a minute; returns how many were.
	 */
	private int write(int writer, AtomicInteger failures, AtomicBoolean spaceIsBack, Map<String, Long> acknowledged,
			Map<String, byte[]> attempted) {
		String id = newId();
		long version = -1;
		int afterRecovery = 0;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		for (int n = 0; afterRecovery < 10 && System.nanoTime() < deadline; n++) {
			boolean recovered = spaceIsBack.get();
			// until space is back, each write is larger, so that the file cannot keep
			// reusing its own free space: some write needs new blocks and fails
			int size = recovered ? 6000 : 6000 + 8 * Math.min(n, 5000);
			byte[] data = bytes(writer + " " + n + " " + "x".repeat(size));
			attempted.put(id + "@" + (version + 1), data);
			try {
				boolean written = (version < 0) ? this.store.create(id, data, T0)
						: this.store.update(id, data, T0, version);
				if (written) {
					version++;
					acknowledged.put(id, version);
					afterRecovery += recovered ? 1 : 0;
					continue;
				}
			}
			catch (SessionStoreException ex) {
				failures.incrementAndGet();
			}
			try {
				StoredSession current = this.store.load(id); // what reached the file
																// after all
				version = (current != null) ? current.version() : -1;
			}
			catch (SessionStoreException ex) {
				// still failing: try the same write again
			}
		}
		return afterRecovery;
	}

	@Test
	void aStoreClosedOnPurposeIsNotOpenedAgain() {
		this.store.close();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.load(this.committed.get(0).id()))
			.withMessageContaining("the store is closed");
	}

	/** Fills the file system and has one write fail on it, which closes the MVStore. */
	@Test
	void aMoveThatFindsNoSpaceLeavesTheSessionAndItsEntryUnderTheOldNameOverRecoveryAndRestart() {
		String id = newId();
		this.store.create(id, bytes("logged in"), "alice", T0);
		disk.fill();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(id, LARGE, "bob", T0, 0));
		disk.empty();

		assertThat(this.store.findByPrincipalName("bob")).isEmpty();
		assertThat(this.store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(id);
		this.store.close();
		this.store = new ShelfSessionStore(file());
		assertThat(this.store.findByPrincipalName("bob")).isEmpty();
		assertThat(this.store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(id);
		assertThat(this.store.update(id, bytes("moved"), "bob", T0, 0)).isTrue();
		assertThat(this.store.findByPrincipalName("bob")).extracting(StoredSession::id).containsExactly(id);
	}

	private void failAWrite() {
		disk.fill();
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.create(newId(), LARGE, T0));
	}

	private void assertEveryCommittedSessionLoads(ShelfSessionStore store) {
		for (StoredSession session : this.committed) {
			assertThat(store.load(session.id())).usingRecursiveComparison().isEqualTo(session);
		}
	}

	private static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
