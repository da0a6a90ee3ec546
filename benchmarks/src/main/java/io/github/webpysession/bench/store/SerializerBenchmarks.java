package io.github.webpysession.bench.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.serializer.SessionData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What every store pays per request besides its own work: the default serializer on the
 * session that {@code /count} keeps ({@code count=1}). Every {@code /read} deserializes
 * it, every {@code /count} deserializes and serializes it, the memory store included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class SerializerBenchmarks {

	private final JavaSessionSerializer serializer = new JavaSessionSerializer(getClass().getClassLoader(),
			List.of("io.github.webpysession.bench.**"));

	private final SessionData data = new SessionData(Instant.now(), "127.0.0.1", Map.of("count", 1));

	private final byte[] bytes = this.serializer.serialize(this.data);

	@Benchmark
	public byte[] serialize() {
		return this.serializer.serialize(this.data);
	}

	@Benchmark
	public SessionData deserialize() {
		return this.serializer.deserialize(this.bytes);
	}

}
