package io.github.webpysession.store.shelf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.github.webpysession.serializer.UnreadableSessionException;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.PrincipalIndexContractTests;
import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ShelfSessionStoreTests extends PrincipalIndexContractTests {

	@TempDir
	Path directory;

	@Override
	protected SessionStore createStore() {
		return new ShelfSessionStore(file());
	}

	@Override
	protected void closeStore(SessionStore store) {
		((ShelfSessionStore) store).close();
	}

	@Override
	protected SessionStore reopenStore(SessionStore store) {
		((ShelfSessionStore) store).close();
		return new ShelfSessionStore(file());
	}

	private Path file() {
		return this.directory.resolve("data").resolve("session.shelf");
	}

	private ShelfSessionStore shelf() {
		return (ShelfSessionStore) this.store;
	}

	@Test
	void createsItsFileAndFolderWhenMissing() {
		assertThat(file()).isRegularFile();
	}

	@Test
	void afterACleanCloseTheFileReopensWithEverySession() {
		List<StoredSession> written = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			String id = newId();
			this.store.create(id, bytes("session " + i), T0);
			if (i % 2 == 0) {
				this.store.update(id, bytes("updated " + i), T0.plusSeconds(i), 0);
			}
			if (i % 3 == 0) {
				this.store.touch(id, T0.plus(Duration.ofHours(i)));
			}
			written.add(this.store.load(id));
		}
		shelf().close();

		try (ShelfSessionStore reopened = new ShelfSessionStore(file())) {
			for (StoredSession session : written) {
				StoredSession loaded = reopened.load(session.id());
				assertThat(loaded).usingRecursiveComparison().isEqualTo(session);
			}
		}
	}

	@Test
	void aClosedStoreFailsEveryCallNamingItsFile() {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		shelf().close();
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.create(newId(), bytes("y"), T0))
			.withMessageContaining("Shelf session store in " + file());
		assertThatExceptionOfType(SessionStoreException.class)
			.isThrownBy(() -> this.store.update(id, bytes("y"), T0, 0))
			.withMessageContaining("Shelf session store in " + file());
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.load(id))
			.withMessageContaining("Shelf session store in " + file());
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.deleteAccessedBefore(T0))
			.withMessageContaining("Shelf session store in " + file());
	}

	@Test
	void aFileThatCannotBeCreatedFailsAtStartupNamingIt() throws Exception {
		Path notAFolder = Files.writeString(this.directory.resolve("plain-file"), "x");
		Path file = notAFolder.resolve("session.shelf");
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> new ShelfSessionStore(file))
			.withMessageContaining("Shelf session store in " + file);
	}

	@Test
	void aFileThatIsNotAShelfFailsAtStartupNamingIt() throws Exception {
		Path file = Files.writeString(this.directory.resolve("not-a-shelf"),
				"this is not an MVStore file\n".repeat(1000));
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> new ShelfSessionStore(file))
			.withMessageContaining("Shelf session store in " + file)
			.withMessageContaining("cannot open the file");
	}

	@Test
	void aWriteOfAnInterruptedThreadLeavesTheStoreWorking() {
		String id = newId();
		Thread.currentThread().interrupt();
		try {
			this.store.create(id, bytes("x"), T0);
		}
		finally {
			Thread.interrupted();
		}
		String next = newId();
		assertThat(this.store.create(next, bytes("y"), T0)).isTrue();
		assertThat(this.store.load(id).data()).isEqualTo(bytes("x"));
		assertThat(this.store.load(next).data()).isEqualTo(bytes("y"));
	}

	@Test
	void toStringNamesTheFile() {
		assertThat(this.store).hasToString("shelf session store in " + file());
	}

	@Test
	void theFileIsReadableByItsOwnerOnlyAndAFolderItCreatesOpenToItsOwnerOnly() throws Exception {
		Assumptions.assumeTrue(file().getFileSystem().supportedFileAttributeViews().contains("posix"),
				"the file system has no POSIX permissions");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())))
			.isEqualTo("rwx------");
	}

	@Test
	void anEmptyEntryIsUnreadable() {
		assertUnreadable(new byte[0]);
	}

	@Test
	void anEntryTruncatedInItsHeaderIsUnreadable() {
		byte[] whole = new StoredSession("x", bytes("data"), T0, 2).toBytes();
		for (int length = 1; length < StoredSession.HEADER_BYTES; length++) {
			assertUnreadable(Arrays.copyOf(whole, length));
		}
	}

	@Test
	void anEntryWithABadHeaderIsUnreadable() {
		byte[] bytes = new StoredSession("x", bytes("data"), T0, 2).toBytes();
		bytes[1] ^= 0x10;
		assertUnreadable(bytes);
		assertUnreadable(bytes("a text that is long enough to hold a header"));
	}

	@Test
	void anUnreadableEntryIsNeitherUpdatedNorTouched() {
		String id = newId();
		writeRawEntry(id, bytes("garbage"));
		assertThat(this.store.update(id, bytes("y"), T0, 0)).isFalse();
		this.store.touch(id, T0.plusSeconds(1));
		assertThatExceptionOfType(UnreadableSessionException.class).isThrownBy(() -> this.store.load(id));
	}

	@Test
	void theIndexKeysAreTheDigestOfTheNameFollowedByTheIdAndShowNoName() {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		for (String name : hostileNames()) {
			this.store.create(newId(), bytes("x"), name, T0);
		}
		List<String> keys = indexKeys();
		assertThat(keys).contains(ShelfFile.principalPrefix("alice") + id)
			.hasSize(hostileNames().size() + 1)
			.allSatisfy((key) -> assertThat(key).matches("[0-9a-f]{64}[0-9a-f]+"));
	}

	@Test
	void anEntryWrittenWithoutItsSessionIsNotFoundAndFindRemovesIt() {
		String id = newId();
		inTheFile(ShelfFile.PRINCIPALS_MAP_NAME,
				(principals) -> principals.put(ShelfFile.principalPrefix("alice") + id, new byte[0]));

		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
		assertThat(indexKeys()).isEmpty();
	}

	@Test
	void anEntryWrittenWithoutItsSessionIsRemovedByTheCleanup() {
		String live = newId();
		this.store.create(live, bytes("x"), "bob", T0.plusSeconds(100));
		inTheFile(ShelfFile.PRINCIPALS_MAP_NAME,
				(principals) -> principals.put(ShelfFile.principalPrefix("alice") + newId(), new byte[0]));

		assertThat(this.store.deleteAccessedBefore(T0)).isZero();

		assertThat(indexKeys()).containsExactly(ShelfFile.principalPrefix("bob") + live);
	}

	@Test
	void anEntryThatItsSessionDoesNotMatchIsNotFoundAndFindRemovesIt() {
		String id = newId();
		this.store.create(id, bytes("x"), "bob", T0);
		inTheFile(ShelfFile.PRINCIPALS_MAP_NAME,
				(principals) -> principals.put(ShelfFile.principalPrefix("alice") + id, new byte[0]));

		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
		assertThat(indexKeys()).containsExactly(ShelfFile.principalPrefix("bob") + id);
		assertThat(idsOf("bob")).containsExactly(id);
	}

	@Test
	void aSessionWrittenWithoutItsEntryIsIndexedAgainByItsNextWrite() {
		String id = newId();
		writeRawEntry(id, new StoredSession(id, bytes("x"), T0, 0, "alice").toBytes());
		assertThat(this.store.findByPrincipalName("alice")).isEmpty();

		assertThat(this.store.update(id, bytes("y"), "alice", T0, 0)).isTrue();

		assertThat(idsOf("alice")).containsExactly(id);
	}

	@Test
	void theCleanupRemovesTheEntriesOfTheSessionsItRemoves() {
		String expired = newId();
		String live = newId();
		this.store.create(expired, bytes("x"), "alice", T0);
		this.store.create(live, bytes("y"), "alice", T0.plusSeconds(100));

		this.store.deleteAccessedBefore(T0.plusSeconds(50));

		assertThat(indexKeys()).containsExactly(ShelfFile.principalPrefix("alice") + live);
	}

	@Test
	void deleteAndAMoveRemoveTheOldEntry() {
		String deleted = newId();
		String moved = newId();
		this.store.create(deleted, bytes("x"), "alice", T0);
		this.store.create(moved, bytes("x"), "alice", T0);
		this.store.delete(deleted);
		this.store.update(moved, bytes("y"), "bob", T0, 0);

		assertThat(indexKeys()).containsExactly(ShelfFile.principalPrefix("bob") + moved);
	}

	@Test
	void aFileWrittenBeforeTheIndexOpensWithAnEmptyIndexAndItsSessionsUnnamed() {
		String id = newId();
		shelf().close();
		MVStore raw = new MVStore.Builder().fileName(file().toString()).autoCommitDisabled().open();
		try {
			raw.removeMap(ShelfFile.PRINCIPALS_MAP_NAME);
			raw.openMap(ShelfFile.MAP_NAME,
					new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
						.valueType(ByteArrayDataType.INSTANCE))
				.put(id, new StoredSession(id, bytes("x"), T0, 0).toBytes());
			raw.commit();
		}
		finally {
			raw.close();
		}
		this.store = new ShelfSessionStore(file());

		assertThat(this.store.load(id).principalName()).isNull();
		assertThat(this.store.update(id, bytes("y"), "alice", T0, 0)).isTrue();
		assertThat(idsOf("alice")).containsExactly(id);
	}

	private void assertUnreadable(byte[] entry) {
		String id = newId();
		writeRawEntry(id, entry);
		assertThatExceptionOfType(UnreadableSessionException.class).as("%d bytes", entry.length)
			.isThrownBy(() -> this.store.load(id));
	}

	/**
	 * Puts {@code entry} under {@code id} in the file itself, with the store closed
	 * meanwhile.
	 */
	private void writeRawEntry(String id, byte[] entry) {
		inTheFile(ShelfFile.MAP_NAME, (sessions) -> sessions.put(id, entry));
	}

	/**
	 * Runs {@code action} on the map {@code name} of the file itself, with the store
	 * closed meanwhile, and commits.
	 */
	private void inTheFile(String name, Consumer<MVMap<String, byte[]>> action) {
		shelf().close();
		MVStore raw = new MVStore.Builder().fileName(file().toString()).autoCommitDisabled().open();
		try {
			action.accept(raw.openMap(name, new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
				.valueType(ByteArrayDataType.INSTANCE)));
			raw.commit();
		}
		finally {
			raw.close();
		}
		this.store = new ShelfSessionStore(file());
	}

	/** The keys of the index in the file itself. */
	private List<String> indexKeys() {
		List<String> keys = new ArrayList<>();
		inTheFile(ShelfFile.PRINCIPALS_MAP_NAME, (principals) -> keys.addAll(principals.keySet()));
		return keys;
	}

}
