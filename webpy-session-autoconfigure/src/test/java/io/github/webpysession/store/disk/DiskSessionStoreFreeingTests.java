package io.github.webpysession.store.disk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

import io.github.webpysession.store.CleanupBatches;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which thread frees a session's file: a write or a delete takes the file off the
 * session's name at once, and the store's own thread frees it afterwards, so that no
 * request waits while the file system gives the blocks back (on some file systems a
 * device discard per block). Here that thread is held, to see what each step leaves.
 */
class DiskSessionStoreFreeingTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path directory;

	private final List<Runnable> held = new ArrayList<>();

	private DiskSessionStore store;

	@BeforeEach
	void holdTheStoresThread() {
		this.store = storeFreeingBy(new RetiredFiles(this.held::add));
	}

	@Test
	void anUpdateReplacesTheFileAtOnceAndLeavesFreeingTheOldOneToTheStoresThread() throws Exception {
		String id = newId();
		this.store.create(id, bytes("old"), T0);
		byte[] old = Files.readAllBytes(fileOf(id));

		assertThat(this.store.update(id, bytes("new"), T0, 0)).isTrue();

		assertThat(this.store.load(id).data()).isEqualTo(bytes("new"));
		assertThat(temporaryFiles()).singleElement().satisfies((file) -> assertThat(file).hasBinaryContent(old));
		freeWhatIsHeld();
		assertThat(temporaryFiles()).isEmpty();
		assertThat(this.store.load(id).data()).isEqualTo(bytes("new"));
	}

	@Test
	void aTouchLeavesFreeingTheFileItReplacesToTheStoresThread() throws Exception {
		String id = newId();
		this.store.create(id, bytes("data"), T0);

		this.store.touch(id, T0.plusSeconds(60));

		assertThat(temporaryFiles()).hasSize(1);
		freeWhatIsHeld();
		assertThat(temporaryFiles()).isEmpty();
		assertThat(this.store.load(id).lastAccessed()).isEqualTo(T0.plusSeconds(60));
	}

	@Test
	void aCreateHasNoFileToFree() throws Exception {
		this.store.create(newId(), bytes("new"), T0);

		assertThat(this.held).isEmpty();
		assertThat(temporaryFiles()).isEmpty();
	}

	@Test
	void aDeletedSessionIsGoneAtOnceAndItsFileIsFreedByTheStoresThread() throws Exception {
		String id = newId();
		this.store.create(id, bytes("data"), T0);

		this.store.delete(id);

		assertThat(this.store.load(id)).isNull();
		assertThat(fileOf(id)).doesNotExist();
		assertThat(temporaryFiles()).hasSize(1);
		freeWhatIsHeld();
		assertThat(temporaryFiles()).isEmpty();
	}

	@Test
	void aFileTheThreadHasNoRoomForIsFreedByTheWriter() throws Exception {
		DiskSessionStore store = storeFreeingBy(new RetiredFiles((task) -> {
			throw new RejectedExecutionException("queue full");
		}));
		String id = newId();
		store.create(id, bytes("old"), T0);

		store.update(id, bytes("new"), T0, 0);

		assertThat(temporaryFiles()).isEmpty();
		assertThat(store.load(id).data()).isEqualTo(bytes("new"));
	}

	@Test
	void theCleanupFreesTheFilesItRemovesItself() throws Exception {
		String expired = newId();
		String live = newId();
		this.store.create(expired, bytes("expired"), T0);
		this.store.create(live, bytes("live"), T0.plus(Duration.ofHours(2)));

		assertThat(this.store.deleteAccessedBefore(T0.plus(Duration.ofHours(1)))).isEqualTo(1);

		assertThat(this.held).isEmpty();
		assertThat(temporaryFiles()).isEmpty();
		assertThat(fileOf(expired)).doesNotExist();
		assertThat(this.store.load(live).data()).isEqualTo(bytes("live"));
	}

	@Test
	void closingTheStoreFreesEveryFileItsThreadHasYetToFree() throws Exception {
		DiskSessionStore store = new DiskSessionStore(sessions());
		List<String> ids = Stream.generate(DiskSessionStoreFreeingTests::newId).limit(200).toList();
		for (String id : ids) {
			store.create(id, bytes("old"), T0);
			store.update(id, bytes("new"), T0, 0);
			store.delete(id);
		}

		store.close();

		assertThat(temporaryFiles()).isEmpty();
		try (Stream<Path> files = Files.walk(sessions())) {
			assertThat(files.filter(Files::isRegularFile)).isEmpty();
		}
	}

	private DiskSessionStore storeFreeingBy(RetiredFiles retired) {
		return new DiskSessionStore(sessions(), CleanupBatches.defaults(), retired);
	}

	private void freeWhatIsHeld() {
		this.held.forEach(Runnable::run);
		this.held.clear();
	}

	private List<Path> temporaryFiles() throws Exception {
		try (Stream<Path> files = Files.walk(sessions())) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".tmp")).toList();
		}
	}

	private Path sessions() {
		return this.directory.resolve("sessions");
	}

	private Path fileOf(String id) {
		return sessions().resolve(id.substring(0, 2)).resolve(id);
	}

	private static String newId() {
		return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
