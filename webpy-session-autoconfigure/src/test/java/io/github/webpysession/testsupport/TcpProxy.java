package io.github.webpysession.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on a local port to a server on another, for a network as tests need it:
 * slow on demand ({@link #setLatency}), cut on demand ({@link #cut()}), down on demand
 * ({@link #stop()}, {@link #reject()}).
 */
public final class TcpProxy implements AutoCloseable {

	private static final int CHUNK_BYTES = 16 * 1024;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile int port;

	private volatile @Nullable ServerSocket server;

	private volatile long latencyNanos;

	private volatile boolean rejecting;

	/**
	 * A proxy to {@code targetPort} on the loopback address, listening on a free port at
	 * once.
	 */
	public TcpProxy(int targetPort) {
		this.targetPort = targetPort;
		start();
	}

	/**
	 * The port this proxy listens on, the same across {@link #stop()} and
	 * {@link #start()}.
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Delays every chunk forwarded, either way, by {@code latency}, from now on: a
	 * networked server's round trip (a few hundred microseconds) instead of the
	 * loopback's.
	 */
	public void setLatency(Duration latency) {
		this.latencyNanos = latency.toNanos();
	}

	/**
	 * Listens again, on the same port, after {@link #stop()}; forwards again after
	 * {@link #reject()}.
	 */
	public synchronized void start() {
		this.rejecting = false;
		if (this.server != null) {
			return;
		}
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.port = server.getLocalPort();
			this.server = server;
			daemon("proxy-accept-" + this.port, () -> accept(server));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An outage: severs every connection and refuses new ones, until {@link #start()}.
	 */
	public synchronized void stop() {
		closeQuietly(this.server);
		this.server = null;
		cut();
	}

	/**
	 * An outage that clients see at once: severs every connection, and closes each new
	 * one as soon as it is accepted, until {@link #start()}. Unlike {@link #stop()}, a
	 * client that retries a refused connection (H2's does, for seconds) fails without
	 * waiting.
	 */
	public void reject() {
		this.rejecting = true;
		cut();
	}

	/**
	 * Severs every open connection, mid-stream if data is flowing, as a dropped network
	 * path or a restarted server does; new connections are accepted as before.
	 */
	public void cut() {
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	@Override
	public void close() {
		stop();
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				if (this.rejecting) {
					closeQuietly(client);
					continue;
				}
				client.setTcpNoDelay(true);
				Socket target = connectTarget(client);
				if (target != null) {
					this.sockets.add(client);
					this.sockets.add(target);
					daemon("proxy-up-" + this.port, () -> pump(client, target));
					daemon("proxy-down-" + this.port, () -> pump(target, client));
				}
			}
			catch (IOException ex) {
				// closed by stop()
			}
		}
	}

	private @Nullable Socket connectTarget(Socket client) {
		try {
			Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
			target.setTcpNoDelay(true);
			return target;
		}
		catch (IOException ex) {
			closeQuietly(client);
			return null;
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] chunk = new byte[CHUNK_BYTES];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(chunk)) >= 0) {
				long latency = this.latencyNanos;
				if (latency > 0) {
					LockSupport.parkNanos(latency);
				}
				out.write(chunk, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// either side went away, or the proxy cut the connection
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.sockets.remove(from);
			this.sockets.remove(to);
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(@Nullable AutoCloseable closeable) {
		try {
			if (closeable != null) {
				closeable.close();
			}
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
