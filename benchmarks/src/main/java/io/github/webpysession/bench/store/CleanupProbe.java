package io.github.webpysession.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
 * So that a slow request can be explained, the JVM's stop-the-world collections during
 * the cleanup are reported with it ({@link GcPauses}): their count, total and longest;
 * how many requests stay over 50 ms once the collections they overlapped are taken off
 * their latency, and how many once the time their thread waited for a core is taken off
 * too ({@link ThreadClock}: on a machine with more runnable threads than cores, a request
 * is slow without the store making it wait); and the machine's load average at the end.
 * Each request over 50 ms is printed on standard error, with when it started in the
 * cleanup and how long of it was a collection, waiting for a core, running, and blocked
 * (on a lock or I/O).
 * <p>
 * Arguments: {@code store:sessions} pairs, e.g. {@code memory:1000000 disk:100000}.
 * Prints one CSV line per store, after a header.
 */
public final class CleanupProbe {

	private static final int LIVE = 1_000;

	private static final long SLOW = 50_000_000L;

	public static void main(String[] args) throws InterruptedException {
		System.out.println("RESULT store,expired,removed,cleanup_ms,baseline_p99_us,baseline_max_us,"
				+ "during_requests,during_p99_us,during_max_us,during_over_50ms,"
				+ "gc_pauses,gc_pause_ms,gc_max_pause_ms,during_over_50ms_less_gc,during_over_50ms_less_gc_and_queue,"
				+ "loadavg");
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
			long start;
			long end;
			int removed;
			List<long[]> pauses;
			try (GcPauses gc = new GcPauses()) {
				requests.start();
				Thread.sleep(50);
				start = System.nanoTime();
				removed = store.deleteAccessedBefore(Instant.now());
				end = System.nanoTime();
				cleaning.set(false);
				requests.join();
				pauses = gc.within(start, end);
			}
			fixture.markIncomplete();
			long[][] overlapping = during[0].overlapping(start, end);
			long[] latencies = Arrays.stream(overlapping).mapToLong((r) -> r[1] - r[0]).toArray();
			long lessGc = 0;
			long lessGcAndQueue = 0;
			for (long[] request : overlapping) {
				long latency = request[1] - request[0];
				if (latency > SLOW) {
					long inGc = GcPauses.overlap(pauses, request[0], request[1]);
					lessGc += (latency - inGc > SLOW) ? 1 : 0;
					lessGcAndQueue += (latency - inGc - request[3] > SLOW) ? 1 : 0;
					System.err.printf(Locale.ROOT,
							"SLOW %s request at +%.1f ms of the cleanup: %.1f ms; %.1f ms in GC, %.1f ms waiting for a core, "
									+ "%.1f ms on one, %.1f ms blocked (locks, I/O)%n",
							name, (request[0] - start) / 1e6, latency / 1e6, inGc / 1e6, request[3] / 1e6,
							request[2] / 1e6, Math.max(0, latency - inGc - request[2] - request[3]) / 1e6);
				}
			}
			System.out.printf(Locale.ROOT, "RESULT %s,%d,%d,%.1f,%.1f,%.1f,%d,%.1f,%.1f,%d,%d,%.1f,%.1f,%d,%d,%s%n",
					name, expired, removed, (end - start) / 1e6, percentile(baseline, 99), percentile(baseline, 100),
					latencies.length, percentile(latencies, 99), percentile(latencies, 100),
					Arrays.stream(latencies).filter((nanos) -> nanos > SLOW).count(), pauses.size(),
					pauses.stream().mapToLong((p) -> p[1] - p[0]).sum() / 1e6,
					pauses.stream().mapToLong((p) -> p[1] - p[0]).max().orElse(0) / 1e6, lessGc, lessGcAndQueue,
					loadAverage());
		}
	}

	/** The machine's load average over the last minute, if it says. */
	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException | RuntimeException ex) {
			return "";
		}
	}

	/**
	 * Plays requests until {@code stop} says so or {@code nanos} passed.
	 */
	private static Samples requests(SessionStore store, String[] live, byte[] data, Instant now, BooleanSupplier stop,
			long nanos) {
		Samples samples = new Samples();
		ThreadClock clock = ThreadClock.ofCurrentThread();
		long[] times = new long[4];
		long begin = System.nanoTime();
		while (!stop.getAsBoolean() && System.nanoTime() - begin < nanos) {
			String id = live[ThreadLocalRandom.current().nextInt(live.length)];
			if (clock != null) {
				clock.read(times, 0);
			}
			long start = System.nanoTime();
			StoredSession stored = store.load(id);
			store.update(id, data, now, stored.version());
			long end = System.nanoTime();
			if (clock != null) {
				clock.read(times, 2);
			}
			samples.add(start, end, times[2] - times[0], times[3] - times[1]);
		}
		if (clock != null) {
			clock.close();
		}
		return samples;
	}

	/**
	 * When each request started and ended, and how long its thread ran and waited for a
	 * core meanwhile, in ns.
	 */
	private static final class Samples {

		private long[][] columns = new long[4][1 << 16];

		private int count;

		void add(long start, long end, long onCore, long queued) {
			if (this.count == this.columns[0].length) {
				for (int c = 0; c < this.columns.length; c++) {
					this.columns[c] = Arrays.copyOf(this.columns[c], this.count * 2);
				}
			}
			this.columns[0][this.count] = start;
			this.columns[1][this.count] = end;
			this.columns[2][this.count] = onCore;
			this.columns[3][this.count++] = queued;
		}

		long[] latencies() {
			return IntStream.range(0, this.count).mapToLong((i) -> this.columns[1][i] - this.columns[0][i]).toArray();
		}

		/**
		 * The requests that overlapped the interval, each as {@code [start, end, onCore,
		 * queued]}.
		 */
		long[][] overlapping(long from, long to) {
			return IntStream.range(0, this.count)
				.filter((i) -> this.columns[1][i] >= from && this.columns[0][i] <= to)
				.mapToObj((i) -> new long[] { this.columns[0][i], this.columns[1][i], this.columns[2][i],
						this.columns[3][i] })
				.toArray(long[][]::new);
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
