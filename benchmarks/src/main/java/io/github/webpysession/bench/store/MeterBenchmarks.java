package io.github.webpysession.bench.store;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.metrics.MeteredSessionStore;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the starter's meters add to a store operation: a load from the memory store, bare
 * and timed on a Prometheus registry (its histogram included). A {@code /read} does one
 * such load; the difference, against the request's own time, is the meters' share of
 * {@code /read}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class MeterBenchmarks {

	private static final String ID = "a".repeat(64);

	private final MemorySessionStore bare = new MemorySessionStore();

	private final SessionStore metered = new MeteredSessionStore(this.bare,
			new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

	private final SessionStore meteredWithoutHistogram = new MeteredSessionStore(this.bare, withoutHistograms());

	public MeterBenchmarks() {
		this.bare.create(ID, new byte[100], Instant.now());
	}

	@Benchmark
	public StoredSession bareLoad() {
		return this.bare.load(ID);
	}

	@Benchmark
	public StoredSession meteredLoad() {
		return this.metered.load(ID);
	}

	/**
	 * With
	 * {@code management.metrics.distribution.percentiles-histogram.webpy.session.store=false}.
	 */
	@Benchmark
	public StoredSession meteredLoadWithoutHistogram() {
		return this.meteredWithoutHistogram.load(ID);
	}

	private static PrometheusMeterRegistry withoutHistograms() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(new MeterFilter() {

			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return DistributionStatisticConfig.builder().percentilesHistogram(false).build().merge(config);
			}

		});
		return registry;
	}

}
