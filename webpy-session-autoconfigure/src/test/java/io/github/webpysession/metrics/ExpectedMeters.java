package io.github.webpysession.metrics;

import java.util.Map;
import java.util.TreeMap;

import io.github.webpysession.testsupport.PrometheusScrape;

/**
 * What a scrape of the session meters should show, kept up to date by a test as it goes:
 * every counter, every store timer's count, the size summary's count and sum, the lock
 * meters and the stored gauge, by their Prometheus names.
 */
final class ExpectedMeters {

	private final Map<String, Double> samples = new TreeMap<>();

	private final String store;

	ExpectedMeters(String store) {
		this.store = store;
		for (String counter : new String[] { "created", "killed", "regenerated", "unreadable" }) {
			this.samples.put(counterKey(counter), 0.0);
		}
		for (String reason : new String[] { "timeout", "max-lifetime", "ip-change" }) {
			this.samples.put(expiredKey(reason), 0.0);
		}
		for (StoreOperation operation : StoreOperation.values()) {
			for (String outcome : new String[] { "success", "failure" }) {
				this.samples.put(storeKey(operation, outcome), 0.0);
			}
		}
		this.samples.put(PrometheusScrape.key("webpy_session_size_bytes_count", "store", store), 0.0);
		this.samples.put(PrometheusScrape.key("webpy_session_size_bytes_sum", "store", store), 0.0);
		this.samples.put("webpy_session_lock_wait_seconds_count", 0.0);
		this.samples.put("webpy_session_lock_timeouts_total", 0.0);
		this.samples.put(PrometheusScrape.key("webpy_sessions_stored", "store", store), 0.0);
	}

	/** The samples a scrape is compared with: no bucket, maximum or sum of durations. */
	static boolean compared(String name) {
		return name.startsWith("webpy_") && !name.endsWith("_bucket") && !name.endsWith("_max")
				&& !name.endsWith("_seconds_sum");
	}

	Map<String, Double> samples() {
		return new TreeMap<>(this.samples);
	}

	ExpectedMeters event(String counter) {
		return add(counterKey(counter), 1);
	}

	/**
	 * The Prometheus name of {@code webpy.sessions.<counter>}. The Prometheus client
	 * reserves the suffix {@code _created} (OpenMetrics' creation time of a counter) and
	 * strips it, so {@code webpy.sessions.created} is scraped as
	 * {@code webpy_sessions_total}.
	 */
	private static String counterKey(String counter) {
		return counter.equals("created") ? "webpy_sessions_total" : "webpy_sessions_" + counter + "_total";
	}

	ExpectedMeters expired(String reason, int count) {
		return add(expiredKey(reason), count);
	}

	ExpectedMeters store(StoreOperation operation, int count) {
		return add(storeKey(operation, "success"), count);
	}

	ExpectedMeters failed(StoreOperation operation) {
		return add(storeKey(operation, "failure"), 1);
	}

	/** A write of {@code bytes}, timed as {@code operation}. */
	ExpectedMeters written(StoreOperation operation, int bytes) {
		store(operation, 1);
		add(PrometheusScrape.key("webpy_session_size_bytes_count", "store", this.store), 1);
		return add(PrometheusScrape.key("webpy_session_size_bytes_sum", "store", this.store), bytes);
	}

	ExpectedMeters lockWaits(int count) {
		return add("webpy_session_lock_wait_seconds_count", count);
	}

	ExpectedMeters lockTimeout() {
		return add("webpy_session_lock_timeouts_total", 1);
	}

	ExpectedMeters stored(int entries) {
		this.samples.put(PrometheusScrape.key("webpy_sessions_stored", "store", this.store), (double) entries);
		return this;
	}

	private ExpectedMeters add(String key, double delta) {
		this.samples.merge(key, delta, Double::sum);
		return this;
	}

	private static String expiredKey(String reason) {
		return PrometheusScrape.key("webpy_sessions_expired_total", "reason", reason);
	}

	private String storeKey(StoreOperation operation, String outcome) {
		return PrometheusScrape.key("webpy_session_store_seconds_count", "operation", operation.tagValue(), "outcome",
				outcome, "store", this.store);
	}

}
