package io.github.webpysession.bench.store;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How {@link SessionStore#load} and {@link SessionStore#update} grow with the number of
 * stored sessions: each operation on a random one of {@code sessions} stored sessions,
 * sampled so that the p99 is reported beside the mean. run.sh chooses the stores and
 * sizes with {@code -p}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms6g", "-Xmx6g" })
public class StoreBenchmarks {

	@Param({ "memory", "disk", "shelf", "jdbc" })
	public String store;

	@Param({ "1000", "100000", "1000000" })
	public int sessions;

	private StoreFixture fixture;

	private SessionStore sessionStore;

	private String[] ids;

	private long[] versions;

	private byte[] data;

	@Setup(Level.Trial)
	public void setUp() {
		this.fixture = StoreFixture.open(this.store, Integer.toString(this.sessions));
		this.sessionStore = this.fixture.store();
		this.ids = StoreFixture.ids(this.sessions);
		this.versions = new long[this.sessions];
		this.data = this.fixture.data();
		this.fixture.fill(this.ids, Instant.now());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.fixture.close();
	}

	@Benchmark
	public StoredSession load() {
		return this.sessionStore.load(this.ids[ThreadLocalRandom.current().nextInt(this.sessions)]);
	}

	/** A compare-and-set write, as a request that changed its session does. */
	@Benchmark
	public boolean update() {
		int i = ThreadLocalRandom.current().nextInt(this.sessions);
		String id = this.ids[i];
		if (!this.sessionStore.update(id, this.data, Instant.now(), this.versions[i])) {
			// stored by an earlier fork at another version: learn it (rare, and only once
			// per id)
			StoredSession current = this.sessionStore.load(id);
			this.versions[i] = current.version();
			this.sessionStore.update(id, this.data, Instant.now(), this.versions[i]);
		}
		this.versions[i]++;
		return true;
	}

}
