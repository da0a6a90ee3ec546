package io.github.webpysession.store.shelf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.create(newId(), bytes("y"), T0))
			.withMessageContaining("Shelf session store in " + file());
		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> this.store.update(id, bytes("y"), T0, 0))
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
		Path file = Files.writeString(this.directory.resolve("not-a-shelf"), "this is not an MVStore file\n".repeat(1000));
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
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
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

	private void assertUnreadable(byte[] entry) {
		String id = newId();
		writeRawEntry(id, entry);
		assertThatExceptionOfType(UnreadableSessionException.class).as("%d bytes", entry.length)
			.isThrownBy(() -> this.store.load(id));
	}

	/** Puts {@code entry} under {@code id} in the file itself, with the store closed meanwhile. */
	private void writeRawEntry(String id, byte[] entry) {
		shelf().close();
		MVStore raw = new MVStore.Builder().fileName(file().toString()).autoCommitDisabled().open();
		try {
			MVMap<String, byte[]> sessions = raw.openMap(ShelfFile.MAP_NAME,
					new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
			sessions.put(id, entry);
			raw.commit();
		}
		finally {
			raw.close();
		}
		this.store = new ShelfSessionStore(file());
	}

}
