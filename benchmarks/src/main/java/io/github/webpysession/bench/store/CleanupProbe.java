package io.github.webpysession.bench.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;

/**
 * The cleanup with many expired sessions: how long
 * {@link SessionStore#deleteAccessedBefore} takes, and how long it makes a request wait.
 * While it runs, one thread plays requests on 1 000 live sessions (a load and an update
 * each, what {@code /count} does) and records each one's latency, compared with the same
 * requests during a second before the cleanup.
 * <p>
 * Arguments: {@code store:sessions} pairs, e.g. {@code memory:1000000 disk:100000}.
 * Prints one CSV line per store, after a header.
 */
public final class CleanupProbe {

	private static final int LIVE = 1_000;

	public static void main(String[] args) throws InterruptedException {
		System.out.println("RESULT store,expired,removed,cleanup_ms,baseline_p99_us,baseline_max_us,"
				+ "during_requests,during_p99_us,during_max_us,during_over_50ms");
		for (String arg : args) {
			String[] parts = arg.split(":");
			probe(parts[0], Integer.parseInt(parts[1]));
		}
	}

	private static void probe(String name, int expired) throws InterruptedException {
		StoreFixture fixture;
		try {
			fixture = StoreFixture.open(name, Integer.toString(expired));
		}
		catch (RuntimeException ex) {
			System.out.println("RESULT " + name + ",not available in this build");
			return;
		}
		try (fixture) {
			SessionStore store = fixture.store();
			fixture.fill(StoreFixture.ids(expired), Instant.now().minus(Duration.ofDays(2)));
			Instant future = Instant.now().plus(Duration.ofHours(1));
			String[] live = new String[LIVE];
			for (int i = 0; i < LIVE; i++) {
				live[i] = StoreFixture.id(-1 - i);
				store.create(live[i], fixture.data(), future);
			}
			requests(store, live, fixture.data(), future, () -> false, 1_000_000_000L); // warm-up
			long[] baseline = requests(store, live, fixture.data(), future, () -> false, 1_000_000_000L).latencies();
			AtomicBoolean cleaning = new AtomicBoolean(true);
			Samples[] during = new Samples[1];
			Thread requests = new Thread(() -> during[0] = requests(store, live, fixture.data(), future,
					() -> !cleaning.get(), Long.MAX_VALUE), "requests");
			requests.start();
			Thread.sleep(50);
			long start = System.nanoTime();
			int removed = store.deleteAccessedBefore(Instant.now());
			long end = System.nanoTime();
			cleaning.set(false);
			requests.join();
			fixture.markIncomplete();
			long[] overlapping = during[0].overlapping(start, end);
			System.out.printf(Locale.ROOT, "RESULT %s,%d,%d,%.1f,%.1f,%.1f,%d,%.1f,%.1f,%d%n", name, expired, removed,
					(end - start) / 1e6, percentile(baseline, 99), percentile(baseline, 100), overlapping.length,
					percentile(overlapping, 99), percentile(overlapping, 100),
					Arrays.stream(overlapping).filter((nanos) -> nanos > 50_000_000L).count());
		}
	}

	/**
	 * Plays requests until {@code stop} says so or {@code nanos} passed.
	 */
	private static Samples requests(SessionStore store, String[] live, byte[] data, Instant now, BooleanSupplier stop,
			long nanos) {
		Samples samples = new Samples();
		long begin = System.nanoTime();
		while (!stop.getAsBoolean() && System.nanoTime() - begin < nanos) {
			String id = live[ThreadLocalRandom.current().nextInt(live.length)];
			long start = System.nanoTime();
			StoredSession stored = store.load(id);
			store.update(id, data, now, stored.version());
			samples.add(start, System.nanoTime());
		}
		return samples;
	}

	/** When each request started and ended, in ns. */
	private static final class Samples {

		private long[] starts = new long[1 << 16];

		private long[] ends = new long[1 << 16];

		private int count;

		void add(long start, long end) {
			if (this.count == this.starts.length) {
				this.starts = Arrays.copyOf(this.starts, this.count * 2);
				this.ends = Arrays.copyOf(this.ends, this.count * 2);
			}
			this.starts[this.count] = start;
			this.ends[this.count++] = end;
		}

		long[] latencies() {
			return overlapping(Long.MIN_VALUE, Long.MAX_VALUE);
		}

		/** The latencies of the requests that overlapped the interval. */
		long[] overlapping(long from, long to) {
			return IntStream.range(0, this.count)
				.filter((i) -> this.ends[i] >= from && this.starts[i] <= to)
				.mapToLong((i) -> this.ends[i] - this.starts[i])
				.toArray();
		}

	}

	private static double percentile(long[] nanos, double percentile) {
		if (nanos.length == 0) {
			return Double.NaN;
		}
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e3;
	}

}
