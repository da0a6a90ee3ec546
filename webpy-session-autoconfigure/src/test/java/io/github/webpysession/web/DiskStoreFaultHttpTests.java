package io.github.webpysession.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disk store whose folder cannot be written: requests that write answer 503, the log
 * says which store failed and why, and the application recovers by itself once the fault
 * is gone.
 * <p>
 * The fault is a read-only folder tree; where permissions do not bind (tests running as
 * root), it is the folder replaced by a regular file, which fails reads and writes alike.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DiskStoreFaultHttpTests {

	private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r-xr-xr-x");

	private static final Set<PosixFilePermission> WRITABLE = PosixFilePermissions.fromString("rwxr-xr-x");

	@TempDir
	static Path directory;

	@DynamicPropertySource
	static void diskStore(DynamicPropertyRegistry registry) {
		registry.add("session.store", () -> "disk");
		registry.add("session.disk.directory", () -> sessions().toString());
	}

	private static Path sessions() {
		return directory.resolve("sessions");
	}

	@LocalServerPort
	int port;

	private final Fault fault = permissionsBind() ? new ReadOnlyFolder() : new FolderIsAFile();

	@BeforeEach
	void noFault() throws IOException {
		this.fault.remove();
	}

	@AfterEach
	void removeFault() throws IOException {
		this.fault.remove();
	}

	@Test
	void aNewSessionThatCannotBeStoredIsAnswered503() throws IOException {
		this.fault.apply();

		HttpResponse<String> response = new HttpClientWithCookies(this.port).get("/count");

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).isEqualTo("Sessions are unavailable right now; please try again shortly.");
		assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
	}

	@Test
	void aStoredSessionThatCannotBeSavedIsAnswered503() throws IOException {
		HttpClientWithCookies client = new HttpClientWithCookies(this.port);
		client.get("/count");
		this.fault.apply();

		assertThat(client.get("/count").statusCode()).isEqualTo(503);
	}

	@Test
	void theFailureIsLoggedAsAnErrorNamingTheStoreAndTheCause(CapturedOutput output) throws IOException {
		this.fault.apply();

		new HttpClientWithCookies(this.port).get("/count");

		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR ")))
			.anySatisfy((line) -> assertThat(line).contains("Disk session store in " + sessions(), "cannot write",
					this.fault.cause()));
	}

	@Test
	void theSameApplicationWorksAgainOnceTheFaultIsRemoved() throws IOException {
		HttpClientWithCookies client = new HttpClientWithCookies(this.port);
		client.get("/count");
		this.fault.apply();
		assertThat(client.get("/count").statusCode()).isEqualTo(503);

		this.fault.remove();

		assertThat(client.get("/count").body()).isEqualTo("2");
		assertThat(new HttpClientWithCookies(this.port).get("/count").body()).isEqualTo("1");
	}

	/**
	 * Whether taking the write permission from a folder stops this process writing to it.
	 */
	private static boolean permissionsBind() {
		try {
			Path probe = Files.createTempDirectory(directory, "probe");
			Path written = probe.resolve("written");
			Files.setPosixFilePermissions(probe, READ_ONLY);
			try {
				Files.createFile(written);
				return false;
			}
			catch (AccessDeniedException ex) {
				return true;
			}
			finally {
				Files.setPosixFilePermissions(probe, WRITABLE);
				Files.deleteIfExists(written);
				Files.delete(probe);
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	/** Something that makes the session folder unwritable, and its undoing. */
	private interface Fault {

		void apply() throws IOException;

		void remove() throws IOException;

		/** What the log says of the cause. */
		String cause();

	}

	/** The session folder and its sub-folders lose their write permission. */
	private static final class ReadOnlyFolder implements Fault {

		@Override
		public void apply() throws IOException {
			for (Path folder : folders()) {
				Files.setPosixFilePermissions(folder, READ_ONLY);
			}
		}

		@Override
		public void remove() throws IOException {
			for (Path folder : folders()) {
				Files.setPosixFilePermissions(folder, WRITABLE);
			}
		}

		private static List<Path> folders() throws IOException {
			if (!Files.isDirectory(sessions())) {
				return List.of();
			}
			try (Stream<Path> paths = Files.walk(sessions())) {
				return paths.filter(Files::isDirectory).toList();
			}
		}

		@Override
		public String cause() {
			return "AccessDeniedException";
		}

	}

	/** The session folder is moved away and a regular file takes its name. */
	private static final class FolderIsAFile implements Fault {

		private final Path moved = directory.resolve("sessions.moved");

		@Override
		public void apply() throws IOException {
			Files.createDirectories(sessions());
			Files.move(sessions(), this.moved);
			Files.writeString(sessions(), "not a folder");
		}

		@Override
		public void remove() throws IOException {
			if (Files.isRegularFile(sessions())) {
				Files.delete(sessions());
				Files.move(this.moved, sessions());
			}
		}

		@Override
		public String cause() {
			return "Not a directory";
		}

	}

}
