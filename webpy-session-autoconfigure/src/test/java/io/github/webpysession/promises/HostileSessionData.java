package io.github.webpysession.promises;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Session data at rest that no request should ever have to answer with a 5xx: each constant is
 * the serialized payload a store would hand back, in the form {@code JavaSessionSerializer}
 * writes (a format number, the creation time, the client address, the attribute map), damaged
 * or made hostile in one way.
 * <p>
 * A stand-in, until {@code testsupport/HostileBytes} lands, with the same intent.
 */
enum HostileSessionData {

	/** The second half is missing, as after a torn write. */
	TRUNCATED {
		@Override
		byte[] bytes() {
			byte[] valid = session(Map.of("user", "alice", "cart", new ArrayList<>(List.of(1, 2, 3))));
			return Arrays.copyOf(valid, valid.length / 2);
		}
	},

	/** One bit flipped, in the serial version of {@code java.util.HashMap}. */
	BIT_FLIPPED {
		@Override
		byte[] bytes() {
			byte[] bytes = session(Map.of("user", "alice"));
			int name = indexOf(bytes, "java.util.HashMap".getBytes(StandardCharsets.UTF_8));
			int lastByteOfSerialVersion = name + "java.util.HashMap".length() + Long.BYTES - 1;
			bytes[lastByteOfSerialVersion] ^= 0x01;
			return bytes;
		}
	},

	/** Not serialized data at all. */
	RANDOM_BYTES {
		@Override
		byte[] bytes() {
			byte[] bytes = new byte[512];
			new Random(9).nextBytes(bytes);
			return bytes;
		}
	},

	/** Nothing. */
	EMPTY {
		@Override
		byte[] bytes() {
			return new byte[0];
		}
	},

	/** A list nested deeper than a request thread's stack can read back. */
	DEEPLY_NESTED {
		@Override
		byte[] bytes() {
			List<Object> list = new ArrayList<>();
			for (int i = 0; i < NESTING; i++) {
				List<Object> outer = new ArrayList<>();
				outer.add(list);
				list = outer;
			}
			Map<String, Object> attributes = Map.of("nested", list);
			return onLargeStack(() -> session(attributes));
		}
	},

	/** A value of a class outside the allow-list (the JDK's {@code java.net.URL}). */
	FOREIGN_CLASS {
		@Override
		byte[] bytes() {
			try {
				return session(Map.of("user", "alice", "url", new URL("http://example.com/")));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	},

	/** A value of an allowed package whose class is gone, as after a redeploy. */
	REMOVED_CLASS {
		@Override
		byte[] bytes() {
			byte[] bytes = session(Map.of("user", "alice", "removed", new RemovedLater()));
			byte[] name = RemovedLater.class.getName().getBytes(StandardCharsets.UTF_8);
			int at = indexOf(bytes, name);
			bytes[at + name.length - 1] = 'X';
			return bytes;
		}
	},

	/** A value whose {@code readObject} throws an unchecked exception. */
	FAILING_READ_OBJECT {
		@Override
		byte[] bytes() {
			return session(Map.of("user", "alice", "value", new FailingReadObject()));
		}
	},

	/** A serialization proxy whose {@code readResolve} validates and throws, as after a configuration change. */
	FAILING_READ_RESOLVE {
		@Override
		byte[] bytes() {
			return session(Map.of("user", "alice", "token", new FailingReadResolve()));
		}
	},

	/** A {@code LocalDate} whose stored month is 13: the JDK throws {@code DateTimeException} reading it. */
	CORRUPT_LOCAL_DATE {
		@Override
		byte[] bytes() {
			byte[] bytes = session(Map.of("user", "alice", "birthday", LocalDate.of(2024, 6, 15)));
			// java.time.Ser's external form: type 3 (LocalDate), year as an int, month, day
			int at = indexOf(bytes, new byte[] { 3, 0, 0, 0x07, (byte) 0xE8, 6, 15 });
			bytes[at + 5] = 13;
			return bytes;
		}
	};

	/** Deep enough to overflow the stack of a request thread (the issue saw it at about 600). */
	private static final int NESTING = 3000;

	/** The payload, as the store would return it for a session. */
	abstract byte[] bytes();

	/** What {@code JavaSessionSerializer} writes for a session with these attributes. */
	static byte[] session(Map<String, Object> attributes) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeInt(1);
			out.writeLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
			out.writeObject("127.0.0.1");
			out.writeObject(new HashMap<>(attributes));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	private static int indexOf(byte[] bytes, byte[] part) {
		outer: for (int i = 0; i <= bytes.length - part.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (bytes[i + j] != part[j]) {
					continue outer;
				}
			}
			return i;
		}
		throw new IllegalStateException("Serialized form not as expected: " + new String(part, StandardCharsets.UTF_8));
	}

	private static byte[] onLargeStack(java.util.function.Supplier<byte[]> task) {
		AtomicReference<byte[]> result = new AtomicReference<>();
		Thread thread = new Thread(null, () -> result.set(task.get()), "hostile-serializer", 512L * 1024 * 1024);
		thread.start();
		try {
			thread.join(30_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (result.get() == null) {
			throw new IllegalStateException("Could not serialize the nested list");
		}
		return result.get();
	}

	/** A value class of the application whose name is changed in the stored bytes. */
	static final class RemovedLater implements Serializable {

		private static final long serialVersionUID = 1L;

	}

	/** A value class of the application that refuses to be read back. */
	static final class FailingReadObject implements Serializable {

		private static final long serialVersionUID = 1L;

		private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
			in.defaultReadObject();
			throw new IllegalStateException("FailingReadObject refuses to be read");
		}

	}

	/** A serialization proxy that no longer validates. */
	static final class FailingReadResolve implements Serializable {

		private static final long serialVersionUID = 1L;

		private Object readResolve() {
			throw new IllegalArgumentException("token signed with a key that is no longer configured");
		}

	}

}
