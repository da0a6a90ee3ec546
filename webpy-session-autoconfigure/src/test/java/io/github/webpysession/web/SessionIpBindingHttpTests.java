package io.github.webpysession.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.webpysession.testapp.TestApplication;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ignore-change-ip=false}: a session used from another client address has expired. The
 * server listens on every address; the clients connect from 127.0.0.1 and 127.0.0.2.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "session.ignore-change-ip=false", "server.address=0.0.0.0" })
class SessionIpBindingHttpTests {

	@LocalServerPort
	int port;

	@Test
	void aSessionUsedFromTheAddressThatStartedItIsKept() throws IOException {
		String cookie = cookieOf(get("127.0.0.1", "/count", null));
		assertThat(body(get("127.0.0.1", "/count", cookie))).isEqualTo("2");
	}

	@Test
	void aSessionUsedFromAnotherAddressHasExpired() throws IOException {
		String cookie = cookieOf(get("127.0.0.1", "/count", null));

		String response = get("127.0.0.2", "/count", cookie);

		assertThat(response).startsWith("HTTP/1.1 200");
		assertThat(body(response)).isEqualTo("Session expired");
		assertThat(response).contains("Max-Age=0");
	}

	@Test
	void aSessionUsedFromAnotherAddressIsGoneForTheFirstAddressToo() throws IOException {
		String cookie = cookieOf(get("127.0.0.1", "/count", null));
		get("127.0.0.2", "/count", cookie);
		assertThat(body(get("127.0.0.1", "/count", cookie))).isEqualTo("1");
	}

	private String get(String fromAddress, String path, @Nullable String cookie) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(fromAddress, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(10000);
			OutputStream out = socket.getOutputStream();
			String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
					+ ((cookie != null) ? "Cookie: " + cookie + "\r\n" : "") + "\r\n";
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			in.transferTo(response);
			return response.toString(StandardCharsets.UTF_8);
		}
	}

	private static String cookieOf(String response) {
		Matcher matcher = Pattern.compile("Set-Cookie: (webpy_session_id=[^;]+)").matcher(response);
		assertThat(matcher.find()).as("a session cookie in %s", response).isTrue();
		return matcher.group(1);
	}

	private static String body(String response) {
		String body = response.substring(response.indexOf("\r\n\r\n") + 4);
		if (response.contains("Transfer-Encoding: chunked")) {
			StringBuilder decoded = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = body.indexOf("\r\n", at);
				int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					return decoded.toString();
				}
				decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
		}
		return body;
	}

}
