package io.github.webpysession.store.shelf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.store.SessionStoreException;
import io.github.webpysession.store.StoredSession;
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
	void aFileOpenInAnotherProcessFailsAtStartupSayingItIsInUseAndPointingToJdbc() throws Exception {
		BufferedReader output = start("hold");
		assertThat(readLine(output)).isEqualTo("open");

		assertThatExceptionOfType(SessionStoreException.class).isThrownBy(() -> new ShelfSessionStore(file()))
			.withMessageContaining(file().toString())
			.withMessageContaining("in use")
			.withMessageContaining("session.store=jdbc");
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
