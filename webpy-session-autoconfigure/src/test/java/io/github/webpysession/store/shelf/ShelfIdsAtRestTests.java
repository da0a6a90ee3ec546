package io.github.webpysession.store.shelf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.webpysession.testsupport.InProcessClient;
import io.github.webpysession.testsupport.MutableClock;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shelf file holds nothing a client could present as a cookie: read raw, it keeps the
 * digest of a session's id, never the id.
 */
class ShelfIdsAtRestTests {

	@TempDir
	Path directory;

	@Test
	void theFileKeepsTheDigestOfTheIdNeverTheId() throws Exception {
		Path file = this.directory.resolve("session.shelf");
		String id;
		try (ShelfSessionStore store = new ShelfSessionStore(file)) {
			InProcessClient client = new InProcessClient(InProcessClient.lifecycle(store, new MutableClock()));
			id = client.request((session) -> session.put("user", "alice")).getId();
		}

		String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);

		assertThat(raw).contains(SessionIds.digest(id)).doesNotContain(id);
	}

}
