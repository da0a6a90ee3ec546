package io.github.webpysession.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * A Redis Cluster of one node, started for a test class from the {@code redis-server} on
 * the {@code PATH} on a free port, without persistence, in a folder of its own, and
 * stopped by {@link #close()}. One node holds every slot, yet Redis rejects a command or
 * script whose keys are in different slots just as a larger cluster does, so it proves
 * the hash tags. Where {@code redis-server} is not on the {@code PATH} the test is
 * skipped with a message saying so, or fails where services are required (see
 * {@link Services}).
 */
public final class RedisCluster implements AutoCloseable {

	private static final long START_TIMEOUT_MS = 20_000;

	private final Path directory;

	private final int port;

	private final Process process;

	private RedisCluster(Path directory, int port, Process process) {
		this.directory = directory;
		this.port = port;
		this.process = process;
	}

	/** Starts the node and waits for {@code cluster_state:ok}. */
	public static RedisCluster start() throws IOException, InterruptedException {
		String server = onPath("redis-server");
		if (server == null) {
			Services.fail("redis-server", "the PATH (" + System.getenv("PATH") + ")",
					"a Redis Cluster test starts its own node");
		}
		Path directory = Files.createTempDirectory("webpy-redis-cluster");
		int port = freePort();
		Process process = new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", Services.REDIS_HOST,
				"--cluster-enabled", "yes", "--save", "", "--appendonly", "no", "--dir", directory.toString(),
				"--cluster-config-file", directory.resolve("nodes.conf").toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		RedisCluster cluster = new RedisCluster(directory, port, process);
		try {
			cluster.awaitReady();
		}
		catch (IOException | RuntimeException | InterruptedException ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	/**
	 * {@code host:port} of the node, as {@code spring.data.redis.cluster.nodes} takes it.
	 */
	public String node() {
		return Services.REDIS_HOST + ":" + this.port;
	}

	/**
	 * The node's only database under a new unique prefix, for what the tests ask of the
	 * keys (the store itself is given a cluster connection).
	 */
	public RedisDatabase database() {
		return new RedisDatabase(this.port, 0);
	}

	private void awaitReady() throws IOException, InterruptedException {
		long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
		while (Services.ping(Services.REDIS_HOST, this.port) != null) {
			check(deadline, "to answer PING");
			Thread.sleep(50);
		}
		String added = command("CLUSTER ADDSLOTSRANGE 0 16383");
		if (!added.startsWith("+OK")) {
			throw new IllegalStateException("CLUSTER ADDSLOTSRANGE answered " + added.strip() + log());
		}
		while (!command("CLUSTER INFO").contains("cluster_state:ok")) {
			check(deadline, "to report cluster_state:ok");
			Thread.sleep(50);
		}
	}

	private void check(long deadline, String what) throws IOException {
		if (!this.process.isAlive() || System.currentTimeMillis() > deadline) {
			throw new IllegalStateException("redis-server on port " + this.port + " did not come up " + what + log());
		}
	}

	/** Sends one inline command and answers the first bytes of the reply. */
	private String command(String command) throws IOException {
		try (Socket socket = new Socket(Services.REDIS_HOST, this.port)) {
			socket.setSoTimeout(3000);
			socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[8192];
			int read = in.read(reply);
			return new String(reply, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
		}
	}

	private String log() throws IOException {
		Path log = this.directory.resolve("redis.log");
		return Files.exists(log) ? "; its log:\n" + Files.readString(log) : "";
	}

	private static @Nullable String onPath(String name) {
		for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			File file = new File(folder, name);
			if (file.canExecute()) {
				return file.getPath();
			}
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}
