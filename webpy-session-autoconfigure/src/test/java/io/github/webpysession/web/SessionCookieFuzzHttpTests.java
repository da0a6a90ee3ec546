package io.github.webpysession.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.testsupport.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random {@code Cookie} headers sent over a raw socket, so that any byte reaches the
 * server: whatever a client sends, the answer is never a 5xx, a read-only page stores no
 * session, and nothing is logged as an error. The headers come from a fixed seed, so a
 * failure reproduces; it names the request's index and its header.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "session.secret-key=" + SessionCookieFuzzHttpTests.KEY })
@ExtendWith(OutputCaptureExtension.class)
class SessionCookieFuzzHttpTests {

	static final String KEY = "the fuzzing key of more than 16 bytes";

	private static final String COOKIE = "webpy_session_id";

	private static final long SEED = 0x5e5510aL;

	private static final int REQUESTS = 10_000;

	private static final int THREADS = 4;

	/**
	 * Tomcat's default limit on the request line and headers, less room for the other
	 * lines.
	 */
	private static final int MAX_COOKIE_BYTES = 8 * 1024 - 128;

	private static final String[] NAMES = { COOKIE, COOKIE, COOKIE.toUpperCase(), " " + COOKIE, COOKIE + " ",
			"$Version", "$Path", "$Domain", "other", "", "webpy_session_id\t" };

	@LocalServerPort
	int port;

	@Autowired
	MemorySessionStore store;

	@Test
	void randomCookieHeadersNeverFailNeverStoreASessionFromAReadAndLogNoError(CapturedOutput output) throws Exception {
		HttpClientWithCookies client = new HttpClientWithCookies(this.port);
		client.get("/count");
		String realCookie = client.cookie(COOKIE);
		Random random = new Random(SEED);
		List<byte[]> cookies = IntStream.range(0, REQUESTS).mapToObj((i) -> cookieHeader(random, realCookie)).toList();
		int before = this.store.size();

		List<String> failures = new ArrayList<>();
		int newSessions = 0;
		int answered = 0;
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<Outcome>> outcomes = IntStream.range(0, THREADS)
				.mapToObj((thread) -> executor.submit(() -> send(cookies, thread)))
				.toList();
			for (Future<Outcome> outcome : outcomes) {
				failures.addAll(outcome.get().failures());
				newSessions += outcome.get().newSessions();
				answered += outcome.get().answered();
			}
		}
		finally {
			executor.shutdownNow();
		}

		assertThat(failures).isEmpty();
		assertThat(answered).as("requests that Tomcat let through to the application").isGreaterThan(REQUESTS / 2);
		assertThat(this.store.size()).as("sessions stored, all by /count").isEqualTo(before + newSessions);
		assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR "))).isEmpty();
	}

	private Outcome send(List<byte[]> cookies, int thread) throws IOException {
		List<String> failures = new ArrayList<>();
		int newSessions = 0;
		int answered = 0;
		for (int i = thread; i < cookies.size(); i += THREADS) {
			String path = (i % 2 == 0) ? "/read" : "/count";
			RawHttp.Response response = RawHttp.exchange("127.0.0.1", this.port, request(path, cookies.get(i)));
			boolean setsCookie = response.setCookie(COOKIE) != null;
			if (response.status() >= 500 || (path.equals("/read") && setsCookie)) {
				failures.add("#" + i + " " + path + " with Cookie: " + printable(cookies.get(i)) + " got "
						+ response.head());
			}
			if (setsCookie) {
				newSessions++;
			}
			if (response.status() == 200) {
				answered++;
			}
		}
		return new Outcome(failures, newSessions, answered);
	}

	private static byte[] request(String path, byte[] cookie) {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: ")
			.getBytes(StandardCharsets.US_ASCII));
		request.writeBytes(cookie);
		request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		return request.toByteArray();
	}

	private static byte[] cookieHeader(Random random, String realCookie) {
		byte[] header = switch (random.nextInt(5)) {
			case 0 -> randomBytes(random);
			case 1 -> pairs(random, realCookie).getBytes(StandardCharsets.UTF_8);
			case 2 -> (COOKIE + "=" + value(random, realCookie)).getBytes(StandardCharsets.UTF_8);
			case 3 -> oddlyEncoded(random, realCookie);
			default -> (COOKIE + "=" + badlySigned(random, realCookie)).getBytes(StandardCharsets.US_ASCII);
		};
		return (header.length <= MAX_COOKIE_BYTES) ? header : Arrays.copyOf(header, MAX_COOKIE_BYTES);
	}

	/** Any bytes but CR and LF, which end a header rather than belong to it. */
	private static byte[] randomBytes(Random random) {
		byte[] bytes = new byte[length(random)];
		for (int i = 0; i < bytes.length; i++) {
			do {
				bytes[i] = (byte) random.nextInt(256);
			}
			while (bytes[i] == '\r' || bytes[i] == '\n');
		}
		return bytes;
	}

	/** Mostly short, sometimes up to the header limit. */
	private static int length(Random random) {
		return (random.nextInt(8) == 0) ? random.nextInt(MAX_COOKIE_BYTES + 1) : random.nextInt(200);
	}

	private static String pairs(Random random, String realCookie) {
		StringBuilder pairs = new StringBuilder();
		int count = 1 + random.nextInt((random.nextInt(10) == 0) ? 200 : 8);
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				pairs.append(random.nextBoolean() ? "; " : (random.nextBoolean() ? ";" : ", "));
			}
			pairs.append(NAMES[random.nextInt(NAMES.length)]).append('=').append(value(random, realCookie));
		}
		return pairs.toString();
	}

	private static String value(Random random, String realCookie) {
		return switch (random.nextInt(7)) {
			case 0 -> badlySigned(random, realCookie);
			case 1 -> '"' + badlySigned(random, realCookie) + '"';
			case 2 -> '"' + realCookie;
			case 3 -> realCookie;
			case 4 -> "";
			case 5 -> printableAscii(random);
			default -> HexFormat.of().formatHex(bytes(random, random.nextInt(64)));
		};
	}

	/** An id that looks right, with a signature that is not its own. */
	private static String badlySigned(Random random, String realCookie) {
		String realId = realCookie.substring(0, SessionIds.LENGTH);
		String realSignature = realCookie.substring(SessionIds.LENGTH + 1);
		String randomId = HexFormat.of().formatHex(bytes(random, SessionIds.LENGTH / 2));
		String randomSignature = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 32));
		return switch (random.nextInt(8)) {
			case 0 -> randomId + "." + randomSignature;
			case 1 -> randomId + "." + realSignature;
			case 2 -> realId + "." + randomSignature;
			case 3 -> realId + "." + realSignature.substring(0, random.nextInt(realSignature.length()));
			case 4 -> realId + "." + realSignature + "=";
			case 5 -> realId.toUpperCase() + "." + realSignature;
			case 6 -> realId + "." + Base64.getEncoder().encodeToString(bytes(random, 32));
			default -> randomId + "." + realSignature + "." + realSignature;
		};
	}

	private static byte[] oddlyEncoded(Random random, String realCookie) {
		return switch (random.nextInt(5)) {
			case 0 -> (COOKIE + "=" + realCookie.replace(".", "%2E")).getBytes(StandardCharsets.US_ASCII);
			case 1 -> (COOKIE + "=" + realCookie).getBytes(StandardCharsets.UTF_16);
			case 2 -> (COOKIE + "=" + randomUnicode(random)).getBytes(StandardCharsets.UTF_8);
			case 3 -> (COOKIE + "=" + randomUnicode(random)).getBytes(StandardCharsets.ISO_8859_1);
			default ->
				("$Version=1; " + COOKIE + "=\"" + realCookie + "\"; $Path=\"/\"").getBytes(StandardCharsets.US_ASCII);
		};
	}

	private static String randomUnicode(Random random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(100);
		while (text.length() < length) {
			int codePoint = random.nextInt(0x30000);
			if (Character.isValidCodePoint(codePoint) && !Character.isSurrogate((char) codePoint) && codePoint != '\r'
					&& codePoint != '\n') {
				text.appendCodePoint(codePoint);
			}
		}
		return text.toString();
	}

	private static String printableAscii(Random random) {
		StringBuilder text = new StringBuilder();
		int length = length(random);
		for (int i = 0; i < length; i++) {
			text.append((char) (' ' + random.nextInt(95)));
		}
		return text.toString();
	}

	private static byte[] bytes(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static String printable(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (byte b : bytes) {
			text.append((b >= ' ' && b < 0x7f && b != '\\') ? String.valueOf((char) b) : String.format("\\x%02x", b));
		}
		return text.toString();
	}

	private record Outcome(List<String> failures, int newSessions, int answered) {

	}

}
