package io.github.webpysession.store.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.webpysession.serializer.UnreadableSessionException;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.PrincipalIndexContractTests;
import io.github.webpysession.store.StoredSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DiskSessionStoreTests extends PrincipalIndexContractTests {

	@TempDir
	Path directory;

	@Override
	protected SessionStore createStore() {
		return new DiskSessionStore(this.directory.resolve("sessions"));
	}

	@Override
	protected SessionStore reopenStore(SessionStore store) {
		return new DiskSessionStore(sessions());
	}

	private Path sessions() {
		return this.directory.resolve("sessions");
	}

	private Path fileOf(String id) {
		return sessions().resolve(id.substring(0, 2)).resolve(id);
	}

	private Path principalFolderOf(String principalName) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(principalName.getBytes(StandardCharsets.UTF_8));
		return sessions().resolve("principals").resolve(HexFormat.of().formatHex(digest));
	}

	private Path entryOf(String principalName, String id) throws Exception {
		return principalFolderOf(principalName).resolve(id);
	}

	private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(3));

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

	@Test
	void cleanupLeavesFilesWhoseNamesItDidNotGive() throws Exception {
		Path important = write(sessions().resolve("docs").resolve("important.txt"), "keep me");
		Path notes = write(sessions().resolve("ab").resolve("notes.md"), "keep me too");
		String expired = newId();
		this.store.create(expired, bytes("x"), LONG_AGO);

		assertThat(this.store.deleteAccessedBefore(Instant.now())).isEqualTo(1);

		assertThat(important).hasContent("keep me");
		assertThat(notes).hasContent("keep me too");
		assertThat(this.store.load(expired)).isNull();
	}

	@Test
	void cleanupInTheApplicationsOwnFolderDeletesNothingOfTheApplications() throws Exception {
		Path application = this.directory.resolve("application");
		List<Path> own = List.of(write(application.resolve("pom.xml"), "<project/>"),
				write(application.resolve("src/main/App.java"), "class App {}"),
				write(application.resolve("application.tmp"), "tmp"), write(application.resolve("db/db.sql"), "drop"),
				write(application.resolve("db/dbdump.tmp"), "dump"), write(application.resolve("ab/ab.1.tmp"), "x"),
				write(application.resolve("ab/ab" + "0".repeat(29)), "too short for an id"),
				write(application.resolve("docs/" + newId()), "an id outside the sub-folders"),
				write(application.resolve("ab/" + newId().toUpperCase()), "upper case"),
				write(application.resolve("cd/ab" + newId().substring(2)), "an id in the wrong folder"),
				write(application.resolve("ef/" + "ef".repeat(32) + ".tmp"), "no random number"));
		Map<Path, String> permissions = permissionsOf(application);
		DiskSessionStore store = new DiskSessionStore(application.resolve("."));
		String expired = newId();
		store.create(expired, bytes("x"), LONG_AGO);

		assertThat(store.deleteAccessedBefore(Instant.now().plus(Duration.ofDays(1)))).isEqualTo(1);

		assertThat(own).allSatisfy((file) -> assertThat(file).exists());
		assertThat(permissionsOf(application)).containsAllEntriesOf(permissions);
		assertThat(store.load(expired)).isNull();
	}

	@Test
	void cleanupRemovesItsOwnTemporaryFilesLeftByACrashBeforeTheCutoff() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0.plus(Duration.ofDays(9999)));
		Path old = write(fileOf(id).resolveSibling(id + ".1234567890.tmp"), "torn");
		Path recent = write(fileOf(id).resolveSibling(id + ".987.tmp"), "being written");
		Files.setLastModifiedTime(recent, FileTime.from(Instant.now()));

		this.store.deleteAccessedBefore(Instant.now().plusSeconds(60));

		assertThat(old).doesNotExist();
		assertThat(recent).exists();
		assertThat(fileOf(id)).exists();
	}

	@Test
	void anIdThatCannotNameAFileOfTheStoreIsNeitherStoredNorLookedFor() throws Exception {
		Path outside = write(this.directory.resolve("outside"), "secret");
		for (String id : List.of("../outside", "../../" + this.directory.getFileName() + "/outside", "ab", "",
				newId().toUpperCase(), newId() + "/x")) {
			assertThat(this.store.load(id)).as(id).isNull();
			assertThat(this.store.update(id, bytes("x"), T0, 0)).as(id).isFalse();
			this.store.touch(id, T0);
			this.store.delete(id);
			assertThatExceptionOfType(IllegalArgumentException.class).as(id)
				.isThrownBy(() -> this.store.create(id, bytes("x"), T0));
		}
		assertThat(outside).hasContent("secret");
	}

	@Test
	void sessionFilesAreReadableByTheirOwnerOnly() throws Exception {
		assumePosix();
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		assertThat(permissions(fileOf(id))).isEqualTo("rw-------");
		this.store.update(id, bytes("y"), T0, 0);
		assertThat(permissions(fileOf(id))).isEqualTo("rw-------");
	}

	@Test
	void foldersTheStoreCreatesAreOpenToTheirOwnerOnly() throws Exception {
		assumePosix();
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		assertThat(permissions(sessions())).isEqualTo("rwx------");
		assertThat(permissions(fileOf(id).getParent())).isEqualTo("rwx------");
	}

	@Test
	void aFolderThatExistsKeepsItsPermissionsAndItsParentsAreLeftAsTheyAre() throws Exception {
		assumePosix();
		Path existing = Files.createDirectory(this.directory.resolve("existing"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
		new DiskSessionStore(existing);
		assertThat(permissions(existing)).isEqualTo("rwxr-x---");
		String byDefault = permissions(Files.createDirectory(this.directory.resolve("made-by-default")));
		new DiskSessionStore(existing.resolve("a/b/sessions"));
		assertThat(permissions(existing.resolve("a/b/sessions"))).isEqualTo("rwx------");
		assertThat(permissions(existing.resolve("a"))).isEqualTo(byDefault);
		assertThat(permissions(existing.resolve("a/b"))).isEqualTo(byDefault);
	}

	@Test
	void anEmptyFileIsUnreadable() throws Exception {
		assertUnreadable(new byte[0]);
	}

	@Test
	void aFileTruncatedInItsHeaderIsUnreadable() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		byte[] whole = Files.readAllBytes(fileOf(id));
		for (int length = 1; length < StoredSession.HEADER_BYTES; length++) {
			assertUnreadable(Arrays.copyOf(whole, length));
		}
	}

	@Test
	void aFileWithABadHeaderIsUnreadable() throws Exception {
		byte[] bytes = new StoredSession(newId(), bytes("data"), T0, 3).toBytes();
		bytes[0] ^= 0x01;
		assertUnreadable(bytes);
		assertUnreadable(bytes("a text file that is long enough to hold a header"));
	}

	@Test
	void aCorruptFileIsNeitherUpdatedNorTouched() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		Files.write(fileOf(id), bytes("garbage"));
		assertThat(this.store.update(id, bytes("y"), T0, 0)).isFalse();
		this.store.touch(id, T0.plusSeconds(1));
		assertThat(fileOf(id)).hasBinaryContent(bytes("garbage"));
	}

	@Test
	void anIndexEntryIsAnEmptyFileNamedByTheIdInAFolderNamedByTheDigestOfTheName() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		assertThat(entryOf("alice", id)).isRegularFile().hasSize(0);
		assertThat(fileOf(id)).isRegularFile();
	}

	@Test
	void indexEntriesAreReadableByTheirOwnerOnlyInFoldersOpenToTheirOwnerOnly() throws Exception {
		assumePosix();
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		assertThat(permissions(entryOf("alice", id))).isEqualTo("rw-------");
		assertThat(permissions(principalFolderOf("alice"))).isEqualTo("rwx------");
		assertThat(permissions(sessions().resolve("principals"))).isEqualTo("rwx------");
	}

	@Test
	void theIndexFoldersAreCreatedAgainWhenTheWholeFolderWasRemoved() throws Exception {
		assumePosix();
		FileSystemUtils.deleteRecursively(sessions().toFile());
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		assertThat(idsOf("alice")).containsExactly(id);
		assertThat(permissions(sessions())).isEqualTo("rwx------");
		assertThat(permissions(sessions().resolve("principals"))).isEqualTo("rwx------");
	}

	@Test
	void noHostileNameEscapesTheFolderOrShowsInAFileName() throws Exception {
		for (String name : hostileNames()) {
			this.store.create(newId(), bytes("x"), name, T0);
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			assertThat(paths.filter((path) -> !path.equals(this.directory)).toList()).allSatisfy((path) -> {
				assertThat(path).startsWith(sessions());
				assertThat(path.getFileName().toString()).matches("sessions|principals|[0-9a-f]+");
			});
		}
	}

	@Test
	void anEntryWhoseSessionWasNeverWrittenIsNotFoundAndFindRemovesIt() throws Exception {
		String id = newId();
		Path ghost = write(entryOf("alice", id), "");
		restart();

		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
		assertThat(ghost).doesNotExist();
		assertThat(this.store.create(id, bytes("x"), "bob", T0)).isTrue();
		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
	}

	@Test
	void anEntryWhoseSessionWasNeverWrittenIsRemovedByTheCleanupWithItsFolder() throws Exception {
		String live = newId();
		this.store.create(live, bytes("x"), "bob", Instant.now());
		Path ghost = write(entryOf("alice", newId()), "");
		restart();

		assertThat(this.store.deleteAccessedBefore(T0)).isZero();

		assertThat(ghost).doesNotExist();
		assertThat(principalFolderOf("alice")).doesNotExist();
		assertThat(entryOf("bob", live)).exists();
		assertThat(idsOf("bob")).containsExactly(live);
	}

	@Test
	void aSessionMovedByAWriteThatCrashedBeforeRemovingItsOldEntryIsFoundUnderItsNewNameOnly() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		write(entryOf("bob", id), "");
		Files.write(fileOf(id), new StoredSession(id, bytes("y"), T0, 1, "bob").toBytes());
		restart();

		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
		assertThat(entryOf("alice", id)).doesNotExist();
		assertThat(idsOf("bob")).containsExactly(id);
	}

	@Test
	void aWriteThatCrashedAfterTheNewEntryButBeforeTheSessionLeavesItUnderItsOldName() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		write(entryOf("bob", id), "");
		restart();

		assertThat(this.store.findByPrincipalName("bob")).isEmpty();
		assertThat(entryOf("bob", id)).doesNotExist();
		assertThat(idsOf("alice")).containsExactly(id);
		assertThat(this.store.update(id, bytes("y"), "bob", T0, 0)).isTrue();
		assertThat(idsOf("bob")).containsExactly(id);
		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
	}

	@Test
	void aSessionInTheFormatWithoutPrincipalIsFoundUnderNoNameUntilAnUpdateNamesIt() throws Exception {
		String id = newId();
		byte[] data = bytes("written before principal names");
		Path file = write(fileOf(id), "");
		Files.write(file,
				ByteBuffer.allocate(StoredSession.HEADER_BYTES + data.length)
					.putInt(0x57505331)
					.putLong(4)
					.putLong(T0.toEpochMilli())
					.put(data)
					.array());
		restart();

		assertThat(this.store.load(id).principalName()).isNull();
		assertThat(this.store.findByPrincipalName("")).isEmpty();
		assertThat(this.store.update(id, bytes("logged in"), "alice", T0, 4)).isTrue();
		assertThat(idsOf("alice")).containsExactly(id);
	}

	@Test
	void anEntryLostFromTheIndexIsWrittenAgainByTheNextUpdate() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		Files.delete(entryOf("alice", id));
		this.store.update(id, bytes("y"), "alice", T0, 0);
		assertThat(idsOf("alice")).containsExactly(id);
	}

	@Test
	void anEntryWhoseSessionIsUnreadableIsNotFoundAndGoesWithTheFileAtTheCleanup() throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), "alice", T0);
		Files.write(fileOf(id), bytes("garbage"));
		Files.setLastModifiedTime(fileOf(id), FileTime.from(T0));

		assertThat(this.store.findByPrincipalName("alice")).isEmpty();
		assertThat(entryOf("alice", id)).exists();
		assertThat(this.store.deleteAccessedBefore(T0.plusSeconds(1))).isEqualTo(1);
		assertThat(entryOf("alice", id)).doesNotExist();
	}

	@Test
	void theCleanupRemovesTheEntriesOfTheSessionsItRemovesAndTheFoldersLeftEmpty() throws Exception {
		String expired = newId();
		String live = newId();
		this.store.create(expired, bytes("x"), "alice", T0);
		this.store.create(live, bytes("y"), "bob", T0.plusSeconds(100));

		this.store.deleteAccessedBefore(T0.plusSeconds(50));

		assertThat(entryOf("alice", expired)).doesNotExist();
		assertThat(principalFolderOf("alice")).doesNotExist();
		assertThat(entryOf("bob", live)).exists();
	}

	@Test
	void deleteAndAMoveRemoveTheOldEntryAndTheCleanupTheFolderLeftEmpty() throws Exception {
		String deleted = newId();
		String moved = newId();
		this.store.create(deleted, bytes("x"), "alice", T0);
		this.store.create(moved, bytes("x"), "carol", T0);
		this.store.delete(deleted);
		this.store.update(moved, bytes("y"), "bob", T0, 0);

		assertThat(entryOf("alice", deleted)).doesNotExist();
		assertThat(entryOf("carol", moved)).doesNotExist();
		this.store.deleteAccessedBefore(T0);
		assertThat(principalFolderOf("alice")).doesNotExist();
		assertThat(principalFolderOf("carol")).doesNotExist();
		assertThat(entryOf("bob", moved)).exists();
	}

	@Test
	void theCleanupLeavesWhatIsInTheIndexFolderWithoutANameItGives() throws Exception {
		Path principals = sessions().resolve("principals");
		Path outside = Files.createDirectories(this.directory.resolve("outside"));
		String lured = newId();
		Path luredFile = write(outside.resolve(lured), "not an entry");
		List<Path> foreign = List.of(write(principals.resolve("README"), "keep"),
				write(principals.resolve("ab").resolve(newId()), "a session's name in a folder not named by a digest"),
				write(principalFolderOf("alice").resolve("notes.txt"), "keep"),
				write(principalFolderOf("alice").resolve(newId().toUpperCase()), "upper case"),
				write(principals.resolve("f".repeat(63)).resolve(newId()), "a digest too short"));
		Path link = principals.resolve("e".repeat(64));
		Files.createSymbolicLink(link, outside);
		Path entryLink = principalFolderOf("alice").resolve(newId());
		Files.createSymbolicLink(entryLink, luredFile);

		this.store.deleteAccessedBefore(Instant.now());

		assertThat(foreign).allSatisfy((file) -> assertThat(file).exists());
		assertThat(luredFile).hasContent("not an entry");
		assertThat(link).isSymbolicLink();
		assertThat(entryLink).isSymbolicLink();
		assertThat(principalFolderOf("alice")).isDirectory();
	}

	@Test
	void theIndexOfTheStoreInTheApplicationsOwnFolderLeavesTheApplicationsFiles() throws Exception {
		Path application = this.directory.resolve("application");
		Path own = write(application.resolve("principals").resolve("users.csv"), "alice,bob");
		DiskSessionStore store = new DiskSessionStore(application);
		String expired = newId();
		store.create(expired, bytes("x"), "alice", LONG_AGO);

		assertThat(store.deleteAccessedBefore(Instant.now())).isEqualTo(1);

		assertThat(own).hasContent("alice,bob");
		assertThat(store.findByPrincipalName("alice")).isEmpty();
		assertThat(application.resolve("principals")).isDirectory();
	}

	private void assertUnreadable(byte[] content) throws Exception {
		String id = newId();
		this.store.create(id, bytes("x"), T0);
		Files.write(fileOf(id), content);
		assertThatExceptionOfType(UnreadableSessionException.class).as("%d bytes", content.length)
			.isThrownBy(() -> this.store.load(id));
	}

	/**
	 * Writes {@code content} to {@code file}, creating its folders, and dates it three
	 * days back.
	 */
	private static Path write(Path file, String content) throws Exception {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
		Files.setLastModifiedTime(file, FileTime.from(LONG_AGO));
		return file;
	}

	private static String permissions(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

	private static Map<Path, String> permissionsOf(Path folder) throws Exception {
		Map<Path, String> permissions = new TreeMap<>();
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.toList()) {
				permissions.put(path, permissions(path));
			}
		}
		return permissions;
	}

	private void assumePosix() {
		Assumptions.assumeTrue(this.directory.getFileSystem().supportedFileAttributeViews().contains("posix"),
				"the file system has no POSIX permissions");
	}

}
