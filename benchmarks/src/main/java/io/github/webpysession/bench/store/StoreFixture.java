package io.github.webpysession.bench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.webpysession.bench.BenchApplication;
import io.github.webpysession.serializer.SessionData;
import io.github.webpysession.serializer.SessionSerializer;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.store.StoredSession;
import io.github.webpysession.store.disk.DiskSessionStore;
import io.github.webpysession.store.memory.MemorySessionStore;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A session store exactly as the starter's auto-configuration makes it for
 * {@code session.store=NAME} (memory, disk, shelf, or jdbc on an embedded H2 file),
 * filled with a number of sessions of one small key. So a store that another branch adds
 * is benchmarked here by configuration alone, and one whose configuration is missing from
 * this build fails to open with the starter's own message.
 * <p>
 * Stores that keep their sessions in files live under {@code -Dbench.tmp} (run.sh makes
 * it a temporary folder and deletes it afterwards), one folder per store and size; a
 * folder that is complete is reused, so that a million files are written once, not once
 * per benchmark fork.
 */
public final class StoreFixture implements AutoCloseable {

	/** The stores that session.store names. */
	public static final List<String> STORES = List.of("memory", "disk", "shelf", "jdbc");

	private static final String COMPLETE = "complete";

	private final ConfigurableApplicationContext context;

	private final Path folder;

	private final SessionStore store;

	private final byte[] data;

	private StoreFixture(ConfigurableApplicationContext context, Path folder) {
		this.context = context;
		this.folder = folder;
		this.store = context.getBean(SessionStore.class);
		this.data = context.getBean(SessionSerializer.class)
			.serialize(new SessionData(Instant.now(), "127.0.0.1", Map.of("count", 1)));
	}

	/**
	 * Starts the benchmark app's context (no traffic) with {@code session.store=name}.
	 */
	public static StoreFixture open(String name, String label) {
		Path folder = root().resolve(name + "-" + label);
		List<String> args = new ArrayList<>(List.of("--spring.profiles.active=webpy", "--server.port=0",
				"--session.store=" + name, "--session.cleanup-interval=100000d", "--logging.level.root=warn"));
		switch (name) {
			case "disk" -> args.add("--session.disk.directory=" + folder.resolve("sessions"));
			case "shelf" -> args.add("--session.shelf.file=" + folder.resolve("session.shelf"));
			// The URL setting that the README's JDBC section recommends for an H2 file
			case "jdbc" ->
				args.add("--spring.datasource.url=jdbc:h2:file:" + folder.resolve("db") + ";AUTO_COMPACT_FILL_RATE=0");
			default -> {
			}
		}
		try {
			Files.createDirectories(folder);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class)
			.logStartupInfo(false)
			.run(args.toArray(String[]::new));
		return new StoreFixture(context, folder);
	}

	static Path root() {
		return Path.of(System.getProperty("bench.tmp", System.getProperty("java.io.tmpdir") + "/webpy-bench"));
	}

	public SessionStore store() {
		return this.store;
	}

	/**
	 * The serialized data of a session holding {@code count=1}, as the interceptor stores
	 * it.
	 */
	public byte[] data() {
		return this.data;
	}

	/** The {@code i}th session's id: 64 hex characters, the same in every run. */
	public static String id(int i) {
		SplittableRandom random = new SplittableRandom(0x5EED_0000_0000L + i);
		byte[] bytes = new byte[32];
		for (int b = 0; b < bytes.length; b += 8) {
			long value = random.nextLong();
			for (int k = 0; k < 8; k++) {
				bytes[b + k] = (byte) (value >>> (8 * k));
			}
		}
		return HexFormat.of().formatHex(bytes);
	}

	/** Ids 0 to n - 1. */
	public static String[] ids(int n) {
		return IntStream.range(0, n).parallel().mapToObj(StoreFixture::id).toArray(String[]::new);
	}

	/**
	 * Makes sure sessions {@code ids[0..n)} are stored, last accessed at
	 * {@code lastAccessed}; a store kept in files that a previous fork filled completely
	 * is left as it is.
	 */
	public void fill(String[] ids, Instant lastAccessedAt) {
		Instant lastAccessed = Instant.ofEpochMilli(lastAccessedAt.toEpochMilli()); // what
																					// stores
																					// keep
		Path marker = this.folder.resolve(COMPLETE);
		if (!(this.store instanceof MemorySessionStore) && Files.exists(marker)) {
			return;
		}
		long start = System.nanoTime();
		AtomicInteger done = new AtomicInteger();
		boolean direct = this.store instanceof DiskSessionStore disk && writesLikeDiskStore(disk, lastAccessed);
		IntStream.range(0, ids.length).parallel().forEach((i) -> {
			if (direct) {
				writeFile((DiskSessionStore) this.store, new StoredSession(ids[i], this.data, lastAccessed, 0));
			}
			else {
				this.store.create(ids[i], this.data, lastAccessed);
			}
			int count = done.incrementAndGet();
			if (count % 200_000 == 0) {
				System.out.printf("  %s: %,d of %,d sessions stored%n", this.store, count, ids.length);
			}
		});
		System.out.printf("  %s: %,d sessions stored in %.1f s%n", this.store, ids.length,
				(System.nanoTime() - start) / 1e9);
		try {
			Files.writeString(marker, Integer.toString(ids.length));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A million sessions through {@link DiskSessionStore#create} (a lock, an existence
	 * check, a temporary file and a rename each) take many minutes on a busy machine: the
	 * fixture writes the files itself, in the store's layout, after checking on one
	 * session that the store reads such a file back, else it falls back to
	 * {@code create}.
	 */
	private boolean writesLikeDiskStore(DiskSessionStore disk, Instant lastAccessed) {
		String probe = id(-1_000_000);
		writeFile(disk, new StoredSession(probe, this.data, lastAccessed, 7));
		StoredSession read = disk.load(probe);
		disk.delete(probe);
		return read != null && read.version() == 7 && read.lastAccessed().equals(lastAccessed);
	}

	private static void writeFile(DiskSessionStore disk, StoredSession session) {
		Path file = disk.getDirectory().resolve(session.id().substring(0, 2)).resolve(session.id());
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, session.toBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Forgets that this store is complete (after a cleanup emptied it). */
	public void markIncomplete() {
		try {
			Files.deleteIfExists(this.folder.resolve(COMPLETE));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * Prints, one per line, the stores of {@code args} (default: all) that open in this
	 * build.
	 */
	public static void main(String[] args) {
		for (String name : (args.length > 0) ? List.of(args) : STORES) {
			try (StoreFixture fixture = open(name, "probe")) {
				System.out.println("available " + name);
			}
			catch (RuntimeException ex) {
				Throwable cause = ex;
				while (cause.getCause() != null) {
					cause = cause.getCause();
				}
				System.out.println("unavailable " + name + " " + cause.getMessage());
			}
		}
	}

}
