package io.github.webpysession.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket, for requests that {@link java.net.http.HttpClient} cannot
 * send: from a chosen local address, or with arbitrary bytes in a header.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * GETs {@code path} from {@code fromAddress}, with {@code cookieHeader} as the Cookie
	 * header if not null.
	 */
	public static Response get(String fromAddress, int port, String path, @Nullable String cookieHeader)
			throws IOException {
		String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
				+ ((cookieHeader != null) ? "Cookie: " + cookieHeader + "\r\n" : "") + "\r\n";
		return exchange(fromAddress, port, request.getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * Sends {@code request}, which asks for {@code Connection: close}, and reads the
	 * whole response.
	 */
	public static Response exchange(String fromAddress, int port, byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(fromAddress, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			in.transferTo(response);
			return new Response(response.toString(StandardCharsets.ISO_8859_1));
		}
	}

	/**
	 * A response as received.
	 *
	 * @param text the status line, headers and body
	 */
	public record Response(String text) {

		private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");

		/** The status code. */
		public int status() {
			Matcher matcher = STATUS.matcher(this.text);
			if (!matcher.find()) {
				throw new IllegalStateException("Not an HTTP/1.1 response: " + this.text);
			}
			return Integer.parseInt(matcher.group(1));
		}

		/** The status line and headers. */
		public String head() {
			int end = this.text.indexOf("\r\n\r\n");
			return (end >= 0) ? this.text.substring(0, end) : this.text;
		}

		/**
		 * {@code name=value} of the cookie {@code name} that the response sets, or null.
		 */
		public @Nullable String setCookie(String name) {
			Matcher matcher = Pattern.compile("(?im)^Set-Cookie: (" + Pattern.quote(name) + "=[^;\r]*)")
				.matcher(head());
			return matcher.find() ? matcher.group(1) : null;
		}

		/** The body, decoded from chunks if it came in chunks. */
		public String body() {
			String body = this.text.substring(this.text.indexOf("\r\n\r\n") + 4);
			if (!head().contains("Transfer-Encoding: chunked")) {
				return body;
			}
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

	}

}
