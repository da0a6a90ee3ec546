package io.github.webpysession.store.disk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.testsupport.OnASmallFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A disk store on a real file system that runs out of space or turns read-only in the
 * middle of its work: every write then fails with a {@link SessionStoreException} and
 * leaves nothing behind, every session keeps its last good file, and the store works
 * again, without a restart, once the fault is gone.
 */
class DiskSessionStoreFaultTests extends OnASmallFileSystem {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private DiskSessionStore store;

	private String stored;

	private byte[] storedFile;

	@BeforeEach
	void storeOneSession() throws Exception {
		this.store = new DiskSessionStore(disk.root().resolve("sessions"));
		this.stored = newId();
		this.store.create(this.stored, bytes("stored before the fault"), T0);
		this.storedFile = Files.readAllBytes(fileOf(this.stored));
	}

	@AfterEach
	void repair() {
		disk.repair();
		FileSystemUtils.deleteRecursively(disk.root().resolve("sessions").toFile());
	}

	@Test
	void aNewSessionThatFindsNoSpaceFailsNamingTheStoreAndLeavesNoFile() {
		disk.fill();
		String id = newId();

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.create(id, bytes("new"), T0))
			.withMessageContaining("Disk session store in " + this.store.getDirectory())
			.withMessageContaining("cannot write")
			.withMessageContaining("No space left on device");
		assertThat(this.store.load(id)).isNull();
		assertThat(filesOtherThan(fileOf(this.stored))).isEmpty();
	}

	@Test
	void anUpdateThatFindsNoSpaceFailsAndLeavesTheSessionsFileAsItWas() throws Exception {
		disk.fill();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(this.stored, bytes("changed during the fault"), T0, 0));
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.touch(this.stored, T0.plusSeconds(60)));

		assertThat(fileOf(this.stored)).hasBinaryContent(this.storedFile);
		assertThat(filesOtherThan(fileOf(this.stored))).isEmpty();
		assertThat(this.store.load(this.stored).data()).isEqualTo(bytes("stored before the fault"));
	}

	@Test
	void onceSpaceIsBackTheSameStoreWritesAgainAndKeepsEarlierSessions() {
		disk.fill();
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(this.stored, bytes("changed during the fault"), T0, 0));

		disk.empty();

		String id = newId();
		assertThat(this.store.create(id, bytes("new"), T0)).isTrue();
		assertThat(this.store.update(this.stored, bytes("changed after the fault"), T0, 0)).isTrue();
		assertThat(this.store.load(id).data()).isEqualTo(bytes("new"));
		StoredSession loaded = this.store.load(this.stored);
		assertThat(loaded.data()).isEqualTo(bytes("changed after the fault"));
		assertThat(loaded.version()).isEqualTo(1);
	}

	@Test
	void onAReadOnlyFileSystemWritesFailAndReadsStillWork() throws Exception {
		disk.readOnly();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.create(newId(), bytes("x"), T0))
			.withMessageContaining("Read-only file system");
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(this.stored, bytes("y"), T0, 0));
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.delete(this.stored));

		assertThat(this.store.load(this.stored).data()).isEqualTo(bytes("stored before the fault"));
		assertThat(fileOf(this.stored)).hasBinaryContent(this.storedFile);
	}

	@Test
	void onceTheFileSystemIsWritableAgainTheSameStoreWritesAgain() {
		disk.readOnly();
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(this.stored, bytes("y"), T0, 0));

		disk.writable();

		String id = newId();
		assertThat(this.store.create(id, bytes("new"), T0)).isTrue();
		assertThat(this.store.update(this.stored, bytes("y"), T0, 0)).isTrue();
		this.store.delete(id);
		assertThat(this.store.load(id)).isNull();
		assertThat(this.store.load(this.stored).data()).isEqualTo(bytes("y"));
	}

	@Test
	void aCleanupOnAReadOnlyFileSystemFailsAndTheNextOneRemovesWhatHasExpired() {
		disk.readOnly();
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.deleteAccessedBefore(T0.plusSeconds(1)))
			.withMessageContaining("cannot delete");

		disk.writable();

		assertThat(this.store.deleteAccessedBefore(T0.plusSeconds(1))).isEqualTo(1);
		assertThat(this.store.load(this.stored)).isNull();
	}

	@Test
	void aNewIndexedSessionThatFindsNoSpaceLeavesNeitherFileNorEntry() {
		disk.fill();
		String id = newId();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.create(id, bytes("new"), "alice", T0));

		assertThat(filesOtherThan(fileOf(this.stored))).isEmpty();
		disk.empty();
		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
	}

	@Test
	void aMoveThatFindsNoSpaceLeavesTheSessionFoundUnderItsOldNameOnly() {
		String id = newId();
		this.store.create(id, bytes("x".repeat(4096)), "alice", T0);
		disk.fill();

		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(id, bytes("y".repeat(4096)), "bob", T0, 0));

		assertThat(this.store.findByPrincipalName("bob")).isEmpty();
		assertThat(this.store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(id);
		disk.empty();
		assertThat(this.store.update(id, bytes("y"), "bob", T0, 0)).isTrue();
		assertThat(this.store.findByPrincipalName("bob")).extracting(StoredSession::id).containsExactly(id);
	}

	@Test
	void onAReadOnlyFileSystemSessionsAreStillFoundByPrincipal() {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		disk.readOnly();

		assertThat(this.store.findByPrincipalName("alice")).extracting(StoredSession::id).containsExactly(id);
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.create(newId(), bytes("y"), "alice", T0));
	}

	private Path fileOf(String id) {
		return this.store.getDirectory().resolve(id.substring(0, 2)).resolve(id);
	}

	/**
	 * Every regular file in the store's folder but {@code expected}: what a failed write
	 * left behind.
	 */
	private List<Path> filesOtherThan(Path expected) {
		try (Stream<Path> paths = Files.walk(this.store.getDirectory())) {
			return paths.filter(Files::isRegularFile).filter((path) -> !path.equals(expected)).toList();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
