package io.github.webpysession.store.shelf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shelf file shared with another process: {@link ShelfStoreProcess} in a child JVM.
 */
class ShelfSessionStoreProcessTests {

	private static final int REPORTED_WRITES = 2000;

	@TempDir
	Path directory;

	private Process child;

	@AfterEach
	void stopChild() throws InterruptedException {
		if (this.child != null) {
			this.child.destroyForcibly();
			this.child.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private Path file() {
		return this.directory.resolve("session.shelf");
	}

	@Test
	void aProcessKilledWhileWritingLeavesEveryReportedWriteInTheFile() throws Exception {
		BufferedReader output = start("write");
		Map<String, Long> reported = new HashMap<>();
		for (int i = 0; i < REPORTED_WRITES; i++) {
			String[] write = readLine(output).split(" ");
			reported.merge(write[0], Long.parseLong(write[1]), Math::max);
		}
		this.child.destroyForcibly();
		assertThat(this.child.waitFor(10, TimeUnit.SECONDS)).isTrue();

		try (ShelfSessionStore store = new ShelfSessionStore(file())) {
			reported.forEach((id, version) -> {
				StoredSession loaded = store.load(id);
				assertThat(loaded).as(id).isNotNull();
				assertThat(loaded.version()).as(id).isGreaterThanOrEqualTo(version);
				assertThat(loaded.data()).as(id).isEqualTo(ShelfStoreProcess.data(id, loaded.version()));
			});
		}
	}

	@Test
	void aProcessKilledWhileIndexingLeavesTheIndexAndTheSessionsFromOneCommit() throws Exception {
		BufferedReader output = start("index");
		Map<String, String> reported = new HashMap<>();
		for (int i = 0; i < REPORTED_WRITES; i++) {
			String[] write = readLine(output).split(" ");
			reported.put(write[0], write[1].equals("deleted") ? null : write[2]);
		}
		this.child.destroyForcibly();
		assertThat(this.child.waitFor(10, TimeUnit.SECONDS)).isTrue();

		MVStore raw = new MVStore.Builder().fileName(file().toString()).readOnly().open();
		try {
			Set<String> expected = new HashSet<>();
			raw.openMap(ShelfFile.MAP_NAME, mapOfBytes()).forEach((id, bytes) -> {
				String principal = StoredSession.fromBytes(id, bytes).principalName();
				assertThat(principal).as(id).isNotNull();
				expected.add(ShelfFile.principalPrefix(principal) + id);
			});
			assertThat(expected).isNotEmpty();
			assertThat(raw.openMap(ShelfFile.PRINCIPALS_MAP_NAME, mapOfBytes()).keySet())
				.containsExactlyInAnyOrderElementsOf(expected);
		}
		finally {
			raw.close();
		}
		try (ShelfSessionStore store = new ShelfSessionStore(file())) {
			reported.forEach((id, principal) -> {
				StoredSession loaded = store.load(id);
				if (principal == null || loaded == null) {
					// deleted, or moved and then deleted by a write the child could not
					// report
					assertThat(loaded).as(id).isNull();
					assertThat(principal).as(id).matches((name) -> name == null || name.startsWith("moved-"));
				}
				else {
					assertThat(store.findByPrincipalName(loaded.principalName())).as(id)
						.extracting(StoredSession::id)
						.contains(id);
					if (loaded.principalName().startsWith("user-")) {
						assertThat(loaded.principalName()).as(id).isEqualTo(principal);
					}
				}
			});
		}
	}

	@Test
	void aFileOpenInAnotherProcessFailsAtStartupSayingItIsInUseAndPointingToJdbc() throws Exception {
		BufferedReader output = start("hold");
		assertThat(readLine(output)).isEqualTo("open");

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> new ShelfSessionStore(file()))
			.withMessageContaining(file().toString())
			.withMessageContaining("in use")
			.withMessageContaining("session.store=jdbc");
	}

	private static MVMap.Builder<String, byte[]> mapOfBytes() {
		return new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
			.valueType(ByteArrayDataType.INSTANCE);
	}

	private BufferedReader start(String mode) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
				ShelfStoreProcess.class.getName(), mode, file().toString())
			.redirectError(this.directory.resolve("child.err").toFile())
			.start();
		return new BufferedReader(new InputStreamReader(this.child.getInputStream(), StandardCharsets.UTF_8));
	}

	private String readLine(BufferedReader output) throws IOException {
		String line = output.readLine();
		assertThat(line).as(() -> "the child's output ended; its errors: " + errors()).isNotNull();
		return line;
	}

	private String errors() {
		try {
			return Files.readString(this.directory.resolve("child.err"));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

}
