package io.github.webpysession.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HostileBytes;
import io.github.webpysession.testsupport.HttpClientWithCookies;
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
 * The disk store behind the real lifecycle: bad data at rest never fails a request.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DiskSessionHttpTests {

	@TempDir
	static Path directory;

	@DynamicPropertySource
	static void diskStore(DynamicPropertyRegistry registry) {
		registry.add("session.store", () -> "disk");
		registry.add("session.disk.directory", () -> directory.resolve("sessions").toString());
		registry.add("session.allowed-classes", () -> "io.github.webpysession.testapp.*");
	}

	@LocalServerPort
	int port;

	HttpClientWithCookies client;

	@BeforeEach
	void newClient() {
		this.client = new HttpClientWithCookies(this.port);
	}

	/**
	 * The file of the session whose cookie carries {@code id}: named by the id's digest,
	 * never the id.
	 */
	private Path fileOf(String id) {
		String key = SessionIds.digest(id);
		return directory.resolve("sessions").resolve(key.substring(0, 2)).resolve(key);
	}

	@Test
	void aSessionIsOneFileInTheFolder() {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		assertThat(fileOf(id)).isRegularFile();
	}

	@Test
	void noFileNameHoldsTheIdTheCookieCarries() throws Exception {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		try (var files = Files.walk(directory)) {
			assertThat(files).noneMatch((file) -> file.getFileName().toString().contains(id));
		}
		assertThat(Files.readAllBytes(fileOf(id))).asString(java.nio.charset.StandardCharsets.ISO_8859_1)
			.doesNotContain(id);
	}

	@Test
	void aCorruptSessionFileGivesAFreshSessionAndOneWarning(CapturedOutput output) throws Exception {
		this.client.get("/count");
		this.client.get("/count");
		String id = this.client.get("/id").body();
		Files.write(fileOf(id), "not a session".getBytes());

		assertThat(this.client.get("/count").body()).isEqualTo("1");

		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains(SessionIds.digest(id).substring(0, 8)))).hasSize(1)
			.allSatisfy((line) -> assertThat(line).contains("unreadable"));
	}

	@Test
	void storedDataNamingAClassOutsideTheAllowListGivesAFreshSession(CapturedOutput output) throws Exception {
		this.client.get("/set?key=name&value=alice");
		String id = this.client.get("/id").body();
		Files.write(fileOf(id), HostileBytes.foreignClass());

		assertThat(this.client.get("/get?key=name").body()).isEqualTo("null");
		assertThat(output.getOut()).contains("is unreadable");
	}

	@Test
	void theCorruptFileIsKeptForInspectionNotOverwritten() throws Exception {
		this.client.get("/count");
		String id = this.client.get("/id").body();
		Files.write(fileOf(id), "not a session".getBytes());
		this.client.get("/count");
		assertThat(fileOf(id)).hasContent("not a session");
	}

	@Test
	void noTemporaryFilesAreLeftBehind() throws Exception {
		for (int i = 0; i < 5; i++) {
			this.client.get("/count");
		}
		try (Stream<Path> files = Files.walk(directory)) {
			assertThat(files.filter((file) -> file.toString().endsWith(".tmp"))).isEmpty();
		}
	}

}
