package io.github.webpysession.actuate;

import java.time.Duration;

import io.github.webpysession.store.disk.DiskSessionStore;
import io.github.webpysession.testsupport.OnASmallFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** The health of the disk store, whose file system turns read-only and back. */
class DiskStoreHealthTests extends OnASmallFileSystem {

	@AfterEach
	void writableAgain() {
		disk.writable();
	}

	@Test
	void aFolderThatCannotBeWrittenToIsDownNamingItAndUpOnceItCan() {
		DiskSessionStore store = new DiskSessionStore(disk.root().resolve("sessions"));
		SessionStoreHealthIndicator indicator = new SessionStoreHealthIndicator(store, Runnable::run,
				Duration.ofSeconds(1));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

		disk.readOnly();
		Health down = indicator.health();

		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails()).containsEntry("store", "disk");
		assertThat(String.valueOf(down.getDetails().get("error"))).contains("the folder is not writable",
				store.getDirectory().toString());
		disk.writable();
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

}
