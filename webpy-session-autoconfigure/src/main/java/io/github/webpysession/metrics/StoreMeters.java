package io.github.webpysession.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one store: {@code webpy.session.store}, a timer per operation and
 * outcome, and {@code webpy.session.size}, the bytes of each write. Every timer is
 * registered up front, so that a query finds each series at zero before its first use,
 * and recording looks nothing up.
 */
final class StoreMeters {

	static final String STORE_TIMER = "webpy.session.store";

	static final String SIZE = "webpy.session.size";

	private final Map<StoreOperation, Timer> successes = new EnumMap<>(StoreOperation.class);

	private final Map<StoreOperation, Timer> failures = new EnumMap<>(StoreOperation.class);

	private final DistributionSummary size;

	private final MeterRegistry registry;

	StoreMeters(MeterRegistry registry, String store) {
		this.registry = registry;
		for (StoreOperation operation : StoreOperation.values()) {
			this.successes.put(operation, timer(registry, store, operation, "success"));
			this.failures.put(operation, timer(registry, store, operation, "failure"));
		}
		this.size = DistributionSummary.builder(SIZE)
			.description("Serialized size of each session written")
			.baseUnit("bytes")
			.tag("store", store)
			.register(registry);
	}

	private static Timer timer(MeterRegistry registry, String store, StoreOperation operation, String outcome) {
		return Timer.builder(STORE_TIMER)
			.description("Time of each session store operation")
			.tags("store", store, "operation", operation.tagValue(), "outcome", outcome)
			.publishPercentileHistogram()
			.register(registry);
	}

	/** The registry's monotonic time, for {@link #record}. */
	long start() {
		return this.registry.config().clock().monotonicTime();
	}

	void record(StoreOperation operation, boolean success, long start) {
		Timer timer = (success ? this.successes : this.failures).get(operation);
		timer.record(this.registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
	}

	void recordSize(int bytes) {
		this.size.record(bytes);
	}

}
