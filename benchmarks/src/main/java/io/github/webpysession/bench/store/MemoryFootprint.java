package io.github.webpysession.bench.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.web.SessionIds;

/**
 * Heap bytes per stored session in the memory store: used heap after a full GC with
 * {@code N} sessions of one small key ({@code count=1}, what {@code /count} stores),
 * minus the same with the store empty. Argument: N (default 1 000 000). Prints one CSV
 * line after a header.
 */
public final class MemoryFootprint {

	public static void main(String[] args) throws InterruptedException {
		int n = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		JavaSessionSerializer serializer = new JavaSessionSerializer(MemoryFootprint.class.getClassLoader(), List.of());
		MemorySessionStore store = new MemorySessionStore();
		Instant now = Instant.now();
		int dataBytes = serializer.serialize(new SessionData(now, "127.0.0.1", Map.of("count", 1))).length;
		long empty = usedHeapAfterGc();
		for (int i = 0; i < n; i++) {
			// each session's own bytes, as each request serializes its own
			byte[] data = serializer.serialize(new SessionData(now, "127.0.0.1", Map.of("count", 1)));
			store.create(SessionIds.generate(), data, now);
		}
		long full = usedHeapAfterGc();
		System.out.println("RESULT sessions,serialized_bytes,heap_bytes_total,heap_bytes_per_session");
		System.out.printf(Locale.ROOT, "RESULT %d,%d,%d,%.0f%n", store.size(), dataBytes, full - empty,
				(full - empty) / (double) n);
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(200);
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
