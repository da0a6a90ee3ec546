package io.github.webpysession.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a local port to a database server, for outages on demand: {@link #stop()} severs
 * every connection and refuses new ones, {@link #start()} listens on the same port again.
 */
final class TcpProxy implements AutoCloseable {

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile int port;

	private volatile ServerSocket server;

	TcpProxy(int targetPort) {
		this.targetPort = targetPort;
		start();
	}

	int port() {
		return this.port;
	}

	synchronized void start() {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.port = server.getLocalPort();
			this.server = server;
			daemon("proxy-accept", () -> accept(server));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	synchronized void stop() {
		closeQuietly(this.server);
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
				this.sockets.add(client);
				Socket target = connectTarget(client);
				if (target != null) {
					this.sockets.add(target);
					daemon("proxy-up", () -> pump(client, target));
					daemon("proxy-down", () -> pump(target, client));
				}
			}
			catch (IOException ex) {
				// closed by stop()
			}
		}
	}

	private Socket connectTarget(Socket client) {
		try {
			return new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
		}
		catch (IOException ex) {
			closeQuietly(client);
			return null;
		}
	}

	private void pump(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// either side went away
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
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
