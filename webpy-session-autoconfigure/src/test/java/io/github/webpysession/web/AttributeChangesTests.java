package io.github.webpysession.web;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attributes a request works on, restored from what a serializer answered.
 */
class AttributeChangesTests {

	private final AttributeChanges changes = new AttributeChanges();

	@Test
	void aMapTheSerializerDoesNotLetChangeStillTakesPutsAndRemoves() {
		this.changes.restore(Map.of("a", 1, "b", 2));

		this.changes.put("a", 10, true);
		this.changes.put("b", null, true);

		assertThat(this.changes.attributes()).containsExactly(Map.entry("a", 10));
		assertThat(this.changes.hasChanges()).isTrue();
	}

	@Test
	void changesNeverReachTheMapTheSerializerAnswered() {
		Map<String, Object> stored = new HashMap<>(Map.of("a", 1));
		this.changes.restore(stored);

		this.changes.put("a", 2, true);
		this.changes.put("c", 3, true);

		assertThat(stored).containsExactly(Map.entry("a", 1));
	}

	@Test
	void aRestoredSessionReadsAsStored() {
		this.changes.restore(Map.of("a", 1));

		assertThat(this.changes.get("a")).isEqualTo(1);
		assertThat(this.changes.contains("b")).isFalse();
		assertThat(this.changes.keys()).containsExactly("a");
		assertThat(this.changes.hasChanges()).isFalse();
	}

	@Test
	void aRebaseLaysTheChangesOverAMapTheSerializerDoesNotLetChange() {
		this.changes.restore(Map.of("a", 1));
		this.changes.put("a", 2, true);

		this.changes.rebase(Map.of("a", 5, "b", 6));

		assertThat(this.changes.attributes()).isEqualTo(Map.of("a", 2, "b", 6));
	}

}
