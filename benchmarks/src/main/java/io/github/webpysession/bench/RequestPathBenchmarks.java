package io.github.webpysession.bench;

import java.time.Clock;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.webpysession.Session;
import io.github.webpysession.serializer.JavaSessionSerializer;
import io.github.webpysession.store.LocalSessionLocks;
import io.github.webpysession.store.memory.MemorySessionStore;
import io.github.webpysession.web.CurrentRequestSession;
import io.github.webpysession.web.SessionCookie;
import io.github.webpysession.web.SessionHooks;
import io.github.webpysession.web.SessionIds;
import io.github.webpysession.web.SessionInterceptor;
import io.github.webpysession.web.SessionLifecycle;
import io.github.webpysession.web.SessionPolicy;
import io.github.webpysession.web.SessionStorage;
import jakarta.servlet.http.Cookie;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The starter's own price per request, without a server: a request carrying a signed
 * session cookie goes through the {@link SessionInterceptor} (cookie, signature,
 * lifecycle, serializer) to a handler that uses the injected {@link Session} bean,
 * against an in-process memory store of {@value #SESSIONS} sessions.
 * <p>
 * {@code plain} is the same request that never touches its session: what the mock request
 * and the interceptor cost alone. {@code read} minus {@code plain} is the price of
 * reading a session, {@code count} minus {@code plain} that of changing one;
 * {@code storeLoad} is the store's own share, which the starter's path excludes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestPathBenchmarks {

	static final int SESSIONS = 1000;

	private static final String COOKIE = "webpy_session_id";

	private final MemorySessionStore store = new MemorySessionStore();

	private final SessionInterceptor interceptor = new SessionInterceptor(
			new SessionLifecycle(
					new SessionStorage(this.store,
							new JavaSessionSerializer(getClass().getClassLoader(),
									List.of("io.github.webpysession.bench.**")),
							new LocalSessionLocks()),
					new SessionCookie(SessionCookie.Settings.named(COOKIE), "benchmark-secret-key-0123456789abcdef",
							List.of()),
					SessionPolicy.of(Duration.ofHours(24)), new SessionHooks(List.of(), (event) -> {
					}, Clock.systemUTC())));

	/** The bean controllers take in their constructor. */
	private final Session session = new CurrentRequestSession();

	private final Object handler = new Object();

	private String[] cookies;

	private String[] keys;

	@Setup
	public void createSessions() {
		this.cookies = new String[SESSIONS];
		this.keys = new String[SESSIONS];
		for (int i = 0; i < SESSIONS; i++) {
			MockHttpServletResponse response = request(null, () -> this.session.put("count", 1));
			this.cookies[i] = response.getCookie(COOKIE).getValue();
			this.keys[i] = SessionIds.digest(this.cookies[i].substring(0, this.cookies[i].indexOf('.')));
		}
	}

	private String anyCookie() {
		return this.cookies[ThreadLocalRandom.current().nextInt(SESSIONS)];
	}

	/** One request through the interceptor, as Spring MVC runs it, around {@code use}. */
	private MockHttpServletResponse request(String cookie, Runnable use) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/read");
		if (cookie != null) {
			request.setCookies(new Cookie(COOKIE, cookie));
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
		try {
			this.interceptor.preHandle(request, response, this.handler);
			use.run();
			this.interceptor.postHandle(request, response, this.handler, null);
			this.interceptor.afterCompletion(request, response, this.handler, null);
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
		return response;
	}

	@Benchmark
	public MockHttpServletResponse plain() {
		return request(anyCookie(), () -> {
		});
	}

	@Benchmark
	public MockHttpServletResponse read() {
		return request(anyCookie(), () -> this.session.get("count", 0));
	}

	@Benchmark
	public MockHttpServletResponse count() {
		return request(anyCookie(), () -> this.session.put("count", this.session.get("count", 0) + 1));
	}

	@Benchmark
	public Object storeLoad() {
		return this.store.load(this.keys[ThreadLocalRandom.current().nextInt(SESSIONS)]);
	}

	/**
	 * The thread CPU time of each operation, for a busy machine, where JMH's wall-clock
	 * average mostly measures the wait for a core:
	 * {@code java -cp ... RequestPathBenchmarks
	 * [seconds]}.
	 */
	public static void main(String[] args) {
		long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 10;
		RequestPathBenchmarks benchmarks = new RequestPathBenchmarks();
		benchmarks.createSessions();
		Map<String, Supplier<Object>> operations = new LinkedHashMap<>();
		operations.put("plain", benchmarks::plain);
		operations.put("read", benchmarks::read);
		operations.put("count", benchmarks::count);
		operations.put("storeLoad", benchmarks::storeLoad);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int round = 0; round < 2; round++) {
			StringBuilder line = new StringBuilder((round == 0) ? "warm-up" : "RESULT");
			for (Map.Entry<String, Supplier<Object>> operation : operations.entrySet()) {
				long start = threads.getCurrentThreadCpuTime();
				long until = start + TimeUnit.SECONDS.toNanos(seconds) / operations.size();
				long count = 0;
				long now;
				do {
					for (int i = 0; i < 1000; i++) {
						operation.getValue().get();
					}
					count += 1000;
					now = threads.getCurrentThreadCpuTime();
				}
				while (now < until);
				line.append(String.format(" %s=%.2fus", operation.getKey(), (now - start) / 1000.0 / count));
			}
			System.out.println(line);
		}
	}

}
