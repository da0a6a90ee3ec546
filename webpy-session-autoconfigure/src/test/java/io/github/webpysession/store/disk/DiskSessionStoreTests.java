package io.github.webpysession.store.disk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.SessionStoreContractTests;
import io.github.webpysession.store.StoredSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DiskSessionStoreTests extends SessionStoreContractTests {

	@TempDir
	Path directory;

	@Override
	protected SessionStore createStore() {
		return new DiskSessionStore(this.directory.resolve("sessions"));
	}

	private Path sessions() {
		return this.directory.resolve("sessions");
	}

	@Test
	void createsItsFolderWhenMissing() {
		assertThat(sessions()).isDirectory();
	}

	@Test
	void keepsOneFilePerSessionInASubFolderNamedByTheIdsFirstTwoCharacters() {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		assertThat(sessions().resolve(id.substring(0, 2)).resolve(id)).isRegularFile();
	}

	@Test
	void aTempFileLeftByACrashBeforeTheRenameLeavesTheOldSessionReadable() throws Exception {
		String id = newId();
		this.store.create(id, bytes("old"), T0);
		Path file = sessions().resolve(id.substring(0, 2)).resolve(id);
		Files.write(file.resolveSibling(id + ".12ab.tmp"), new byte[] { 1, 2, 3 });

		StoredSession loaded = this.store.load(id);

		assertThat(loaded.data()).isEqualTo(bytes("old"));
		assertThat(this.store.update(id, bytes("new"), T0, 0)).isTrue();
	}

	@Test
	void aCorruptFileIsReportedAsUnreadableNotAsAStoreFailure() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		Files.write(sessions().resolve(id.substring(0, 2)).resolve(id), bytes("garbage"));
		assertThatExceptionOfType(UnreadableSessionException.class).isThrownBy(() -> this.store.load(id));
	}

	@Test
	void cleanupRemovesACorruptFileLastWrittenBeforeTheCutoff() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		Path file = sessions().resolve(id.substring(0, 2)).resolve(id);
		Files.write(file, bytes("garbage"));
		Files.setLastModifiedTime(file, FileTime.from(T0));

		assertThat(this.store.deleteAccessedBefore(T0.plusSeconds(1))).isEqualTo(1);
		assertThat(file).doesNotExist();
	}

	@Test
	void cleanupKeepsACorruptFileWrittenAfterTheCutoff() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		Path file = sessions().resolve(id.substring(0, 2)).resolve(id);
		Files.write(file, bytes("garbage"));
		Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(10)));

		assertThat(this.store.deleteAccessedBefore(T0.plusSeconds(1))).isZero();
		assertThat(file).exists();
	}

	@Test
	void theLastAccessIsKeptInTheFileNotTakenFromTheFileSystem() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		Path file = sessions().resolve(id.substring(0, 2)).resolve(id);
		Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(99999)));
		Files.setAttribute(file, "lastAccessTime", FileTime.from(T0.plusSeconds(99999)));
		assertThat(this.store.load(id).lastAccessed()).isEqualTo(T0);
	}

	@Test
	void cleanupSurvivesItsFolderBeingRemovedAndWritesCreateItAgain() {
		FileSystemUtils.deleteRecursively(sessions().toFile());
		assertThat(this.store.deleteAccessedBefore(T0)).isZero();
		String id = newId();
		assertThat(this.store.create(id, bytes("x"), T0)).isTrue();
		assertThat(this.store.load(id)).isNotNull();
	}

}
