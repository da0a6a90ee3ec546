package io.github.webpysession.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session outlives the sample app's process: stopped and started again, it is still
 * there.
 */
class SampleApplicationRestartTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "disk", "shelf" })
	void aSessionSurvivesTheProcessStoppingAndStartingAgain(String store) throws Exception {
		int port = freePort();
		SampleApplicationTests.Browser browser = new SampleApplicationTests.Browser(port);
		Process first = start(port, store);
		try {
			awaitUp(first, browser);
			assertThat(browser.get("/count").body()).isEqualTo("1");
			assertThat(browser.get("/count").body()).isEqualTo("2");
		}
		finally {
			stop(first);
		}
		Process second = start(port, store);
		try {
			awaitUp(second, browser);
			assertThat(browser.get("/count").body()).isEqualTo("3");
		}
		finally {
			stop(second);
		}
	}

	private Process start(int port, String store) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--server.port=" + port, "--session.store=" + store,
				"--session.disk.directory=" + this.directory.resolve("sessions"),
				"--session.shelf.file=" + this.directory.resolve("session.shelf"), "--spring.main.banner-mode=off");
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("app-" + store + ".log").toFile())
			.start();
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}

	private void awaitUp(Process process, SampleApplicationTests.Browser browser) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (true) {
			try {
				browser.get("/");
				return;
			}
			catch (ConnectException ex) {
				if (!process.isAlive() || Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("The sample app did not start:\n" + log(), ex);
				}
				Thread.sleep(100);
			}
		}
	}

	private String log() throws IOException {
		try (Stream<Path> logs = Files.list(this.directory)) {
			StringBuilder text = new StringBuilder();
			for (Path log : logs.filter((file) -> file.toString().endsWith(".log")).toList()) {
				text.append(Files.readString(log));
			}
			return text.toString();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
