package io.github.webpysession.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The commands that mention a text (a test's key prefix), as the local Redis runs them,
 * from {@code MONITOR}: unlike {@code INFO commandstats}, it tells the commands a client
 * sent from those its scripts ran, and only counts the test's own, however many other
 * clients share the server.
 */
public final class RedisMonitor implements AutoCloseable {

	private final Socket socket;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final String mentioned;

	/** Starts monitoring, once Redis has confirmed it. */
	public RedisMonitor(String mentioned) {
		this.mentioned = mentioned;
		try {
			this.socket = new Socket();
			this.socket.connect(new InetSocketAddress(Services.REDIS_HOST, Services.REDIS_PORT), 3000);
			this.socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
			String ok = reader.readLine();
			if (!"+OK".equals(ok)) {
				throw new IllegalStateException("MONITOR answered " + ok);
			}
			Thread thread = new Thread(() -> read(reader), "redis-monitor");
			thread.setDaemon(true);
			thread.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void read(BufferedReader reader) {
		try {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.contains(this.mentioned)) {
					this.lines.add(line);
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	/**
	 * The commands that clients sent, in order, each as its name in upper case ("GET"),
	 * once Redis has reported every command so far: waits for a marker of its own.
	 */
	public List<String> clientCommands() {
		return commands(false);
	}

	/** The commands that scripts ran, as {@link #clientCommands()}. */
	public List<String> scriptCommands() {
		return commands(true);
	}

	/** Forgets the commands seen so far (after the marker of every command so far). */
	public void clear() {
		sync();
		this.lines.clear();
	}

	private List<String> commands(boolean fromScripts) {
		sync();
		return this.lines.stream()
			.filter((line) -> !line.contains("\"ECHO\""))
			.filter((line) -> line.contains(" lua] ") == fromScripts)
			.map((line) -> line.substring(line.indexOf("] \"") + 3, line.indexOf('"', line.indexOf("] \"") + 3)))
			.map(String::toUpperCase)
			.toList();
	}

	/**
	 * Sends a marker through another connection and waits until the monitor has seen it,
	 * so that every command sent before it has been seen too.
	 */
	private void sync() {
		String marker = this.mentioned + "marker-" + System.nanoTime();
		try (Socket client = new Socket(Services.REDIS_HOST, Services.REDIS_PORT)) {
			client.getOutputStream().write(("ECHO " + marker + "\r\n").getBytes(StandardCharsets.US_ASCII));
			client.getInputStream().read(new byte[256]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (this.lines.stream().noneMatch((line) -> line.contains(marker))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("MONITOR never showed the marker " + marker);
			}
			Thread.onSpinWait();
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
