package io.github.webpysession.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The calling thread's time on a core and waiting for one, in ns, from Linux's
 * {@code /proc/thread-self/schedstat}: a request that is slow while its thread waited for
 * a core was slowed by the machine's load, not by the store. Reads nothing (both zero)
 * where the file is missing.
 */
final class ThreadClock implements AutoCloseable {

	private final FileChannel channel;

	private final ByteBuffer buffer = ByteBuffer.allocate(128);

	private ThreadClock(FileChannel channel) {
		this.channel = channel;
	}

	/** The clock of the calling thread, or null where Linux's schedstat is missing. */
	static ThreadClock ofCurrentThread() {
		try {
			return new ThreadClock(FileChannel.open(Path.of("/proc/thread-self/schedstat")));
		}
		catch (IOException | UnsupportedOperationException ex) {
			return null;
		}
	}

	/**
	 * Stores the thread's time on a core in {@code into[at]} and its time waiting for one
	 * in {@code into[at + 1]}.
	 */
	void read(long[] into, int at) {
		try {
			this.buffer.clear();
			this.channel.read(this.buffer, 0);
			String[] fields = new String(this.buffer.array(), 0, this.buffer.position(), StandardCharsets.US_ASCII)
				.trim()
				.split(" ");
			into[at] = Long.parseLong(fields[0]);
			into[at + 1] = Long.parseLong(fields[1]);
		}
		catch (IOException | RuntimeException ex) {
			into[at] = 0;
			into[at + 1] = 0;
		}
	}

	@Override
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// nothing to release
		}
	}

}
