package io.github.webpysession.store.shelf;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A second process on a shelf file, for the tests that need one: {@code write FILE}
 * writes sessions until it is killed, printing each write once it has returned
 * ({@code id version}); {@code index FILE} does the same with sessions of principals,
 * which it creates, moves to another principal and deletes ({@code id version principal},
 * {@code id deleted}); {@code hold FILE} opens the file, prints {@code open}, and keeps
 * it until its input closes.
 */
public final class ShelfStoreProcess {

	private ShelfStoreProcess() {
	}

	public static void main(String[] args) throws IOException {
		Path file = Path.of(args[1]);
		try (ShelfSessionStore store = new ShelfSessionStore(file)) {
			if (args[0].equals("write")) {
				write(store);
			}
			else if (args[0].equals("index")) {
				index(store);
			}
			else {
				hold(store);
			}
		}
	}

	/**
	 * The data of a session's write at a version, so that a reader can tell which write
	 * it sees.
	 */
	static byte[] data(String id, long version) {
		return (id + " at version " + version + " " + "x".repeat(64)).getBytes(StandardCharsets.UTF_8);
	}

	private static void write(ShelfSessionStore store) {
		PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
		Instant now = Instant.now();
		String previous = null;
		while (true) {
			String id = UUID.randomUUID().toString();
			store.create(id, data(id, 0), now);
			out.println(id + " 0");
			if (previous != null) {
				store.update(previous, data(previous, 1), now, 0);
				out.println(previous + " 1");
			}
			previous = id;
		}
	}

	/** The principal of the {@code n}th session created, or of the one moved. */
	static String principal(int n, boolean moved) {
		return (moved ? "moved-" : "user-") + (n % 7);
	}

	private static void index(ShelfSessionStore store) {
		PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
		Instant now = Instant.now();
		String previous = null;
		String older = null;
		for (int n = 0;; n++) {
			String id = UUID.randomUUID().toString();
			store.create(id, data(id, 0), principal(n, false), now);
			out.println(id + " 0 " + principal(n, false));
			if (previous != null) {
				store.update(previous, data(previous, 1), principal(n, true), now, 0);
				out.println(previous + " 1 " + principal(n, true));
			}
			if (older != null && n % 3 == 0) {
				store.delete(older);
				out.println(older + " deleted");
			}
			older = previous;
			previous = id;
		}
	}

	private static void hold(ShelfSessionStore store) throws IOException {
		System.out.println("open");
		System.out.flush();
		InputStream in = System.in;
		while (in.read() != -1) {
			// until the test closes our input
		}
	}

}
