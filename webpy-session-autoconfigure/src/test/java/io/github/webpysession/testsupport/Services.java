package io.github.webpysession.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The database servers some tests need. A test calls {@link #postgres()} or
 * {@link #mariadb()} or {@link #redis()}: where the server is absent it is skipped with a
 * message saying so, unless the system property {@code webpysession.require-services} is
 * true (as {@code .ci/run} sets it), where it fails.
 */
public final class Services {

	public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	public static final String POSTGRES_USER = "postgres";

	public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

	public static final String MARIADB_USER = "root";

	public static final String REDIS_HOST = "127.0.0.1";

	public static final int REDIS_PORT = 6379;

	private Services() {
	}

	/** Skips (or, where services are required, fails) the test unless Redis answers. */
	public static void redis() {
		String problem = ping(REDIS_HOST, REDIS_PORT);
		if (problem != null) {
			fail("Redis", "redis://" + REDIS_HOST + ":" + REDIS_PORT, problem);
		}
	}

	/** Null if Redis at {@code host:port} answers a PING, else what went wrong. */
	static @Nullable String ping(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 3000);
			socket.setSoTimeout(3000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] answer = new byte[7];
			int read = socket.getInputStream().read(answer);
			String text = new String(answer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
			return text.startsWith("+PONG") ? null : "answered " + text.strip();
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	/**
	 * Skips (or, where services are required, fails) the test unless PostgreSQL answers.
	 */
	public static void postgres() {
		require("PostgreSQL", POSTGRES_URL + "?connectTimeout=3", POSTGRES_USER);
	}

	/** Skips (or, where services are required, fails) the test unless MariaDB answers. */
	public static void mariadb() {
		require("MariaDB", MARIADB_URL + "?connectTimeout=3000", MARIADB_USER);
	}

	private static void require(String name, String url, String user) {
		String problem = reach(url, user);
		if (problem == null) {
			return;
		}
		fail(name, url + " as " + user, problem);
	}

	/**
	 * Skips the test, or fails it where services are required, saying that {@code name}
	 * is not reachable at {@code where} because of {@code problem}.
	 */
	static void fail(String name, String where, String problem) {
		String message = name + " is not reachable at " + where + " (" + problem + ")";
		if (Boolean.getBoolean("webpysession.require-services")) {
			Assertions.fail(message + "; webpysession.require-services is true, so this test may not be skipped");
		}
		Assumptions.abort(message + "; skipping. Start it, or run .ci/run, to run this test");
	}

	private static @Nullable String reach(String url, String user) {
		try (Connection connection = DriverManager.getConnection(url, user, "")) {
			return connection.isValid(3) ? null : "connection not valid";
		}
		catch (SQLException ex) {
			return ex.getMessage();
		}
	}

}
