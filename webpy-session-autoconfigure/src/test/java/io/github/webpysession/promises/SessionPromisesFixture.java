package io.github.webpysession.promises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.webpysession.promises.PromisesApplication.Gate;
import io.github.webpysession.store.SessionStore;
import io.github.webpysession.testsupport.HostileBytes;
import io.github.webpysession.testsupport.MutableClock;
import io.github.webpysession.testsupport.StoreFault;
import io.github.webpysession.web.SessionIds;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link SessionPromisesTests} needs of a store, and the means it tests with: one
 * {@link PromisesApplication} on the store for the whole class, an HTTP client that sends
 * the session cookie it is told to, and races of requests started at once.
 * <p>
 * A store gives its properties, and a fault that makes it fail; optionally, the
 * operations its fault spares, a way to put bytes at rest and faults aimed at one
 * operation. Everything else is the same for every store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SessionPromisesFixture {

	static final String COOKIE = "webpy_session_id";

	static final Duration TIMEOUT = Duration.ofHours(24);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final ExecutorService background = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "promises-client");
		thread.setDaemon(true);
		return thread;
	});

	private @Nullable ConfigurableApplicationContext context;

	int port;

	/**
	 * The properties that choose and configure the store. Called once for every
	 * application started (a test may start a second one with other settings): a store
	 * that keeps its data in a file another application cannot open at the same time
	 * gives each call its own.
	 */
	protected abstract Map<String, String> storeProperties();

	/**
	 * A fault of the store's storage; see {@link StoreFault#unavailable} for a store that
	 * has none yet.
	 */
	protected abstract StoreFault fault();

	/**
	 * The requests that {@link #fault()} makes fail: all by default. A storage that still
	 * serves some while it fails gives fewer: a read-only disk still reads its files.
	 */
	protected Set<SessionOperation> failingOperations() {
		return EnumSet.allOf(SessionOperation.class);
	}

	/** The {@link #failingOperations()} that save. */
	final Set<SessionOperation> failingSaves() {
		Set<SessionOperation> saves = EnumSet.noneOf(SessionOperation.class);
		saves.addAll(failingOperations());
		saves.remove(SessionOperation.LOAD);
		return saves;
	}

	/** The operations that {@link #fault()} leaves working. */
	final Set<SessionOperation> sparedOperations() {
		Set<SessionOperation> spared = EnumSet.allOf(SessionOperation.class);
		spared.removeAll(failingOperations());
		return spared;
	}

	/**
	 * A fault that fails {@code operation} only, or null where the storage cannot be
	 * failed so precisely.
	 */
	protected @Nullable StoreFault faultOf(StoreOperation operation) {
		return null;
	}

	/**
	 * Puts {@code data}, as the serializer would have written it, at rest in the store as
	 * session {@code id} (under its digest, as the lifecycle keeps it), bypassing the
	 * serializer. By default through the store's own {@code create}.
	 */
	protected void storeAtRest(String id, byte[] data) {
		assertThat(store().create(SessionIds.digest(id), data, clock().instant())).as("session %s created", id)
			.isTrue();
	}

	/**
	 * Expires the sessions last accessed before {@code cutoff} as the store does in
	 * production: by default its scheduled cleanup. A store whose storage expires
	 * sessions itself (Redis) does what that expiry does.
	 */
	protected void expireAccessedBefore(Instant cutoff) {
		store().deleteAccessedBefore(cutoff);
	}

	/**
	 * Runs before the application starts: skips the class where the store's server is
	 * absent, say.
	 */
	protected void beforeApplication() {
	}

	/** Runs after the application has stopped, for the store's own clean-up. */
	protected void afterApplication() {
	}

	/** Adds to each application before it starts: beans of the store, say. */
	protected void customize(SpringApplicationBuilder application) {
	}

	@BeforeAll
	@Timeout(120)
	void startApplication() {
		beforeApplication();
		this.context = start(Map.of());
		this.port = PromisesApplication.port(this.context);
	}

	@AfterAll
	void stopApplication() {
		try {
			if (this.context != null) {
				this.context.close();
			}
		}
		finally {
			this.background.shutdownNow();
			afterApplication();
		}
	}

	@BeforeEach
	void resetGate() {
		gate().reset();
	}

	/** Another application on the same store, with {@code settings} on top. */
	ConfigurableApplicationContext start(Map<String, String> settings) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("session.timeout", TIMEOUT.toHours() + "h");
		// the application's package, as by default, and the classes whose readObject or
		// readResolve throws
		properties.put("session.allowed-classes",
				PromisesApplication.class.getPackageName() + ".**," + HostileBytes.ALLOWED_CLASSES);
		properties.putAll(storeProperties());
		properties.putAll(settings);
		return PromisesApplication.start(properties, this::customize);
	}

	SessionStore store() {
		return bean(SessionStore.class);
	}

	/** The bean of {@code type} of the application started for the class. */
	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	MutableClock clock() {
		return bean(MutableClock.class);
	}

	Gate gate() {
		return bean(Gate.class);
	}

	/**
	 * GETs {@code path} with {@code cookie} as the session cookie's value, if not null.
	 */
	HttpResponse<String> get(String path, @Nullable String cookie) {
		return get(this.port, path, (cookie != null) ? COOKIE + "=" + cookie : null);
	}

	/** GETs {@code path} on {@code port} with this exact Cookie header, if not null. */
	HttpResponse<String> get(int port, String path, @Nullable String cookieHeader) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30));
		if (cookieHeader != null) {
			request.header("Cookie", cookieHeader);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Runs {@code request} in the background. */
	<T> CompletableFuture<T> async(Supplier<T> request) {
		return CompletableFuture.supplyAsync(request, this.background);
	}

	/** A new stored session holding {@code key=value}; returns its cookie's value. */
	String newSession(String key, String value) {
		HttpResponse<String> response = get("/put?key=" + key + "&value=" + value, null);
		assertThat(response.statusCode()).as("status of the write that starts a session").isEqualTo(200);
		String cookie = newCookie(response);
		assertThat(cookie).as("cookie of a new session").isNotNull();
		return cookie;
	}

	/** The session's keys, as {@code /keys} answers them. */
	String keys(@Nullable String cookie) {
		HttpResponse<String> response = get("/keys", cookie);
		assertThat(response.statusCode()).as("status of /keys").isEqualTo(200);
		return response.body();
	}

	/** The {@code Set-Cookie} headers of {@code response} for the session cookie. */
	static List<String> sessionCookies(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((header) -> header.startsWith(COOKIE + "="))
			.toList();
	}

	/**
	 * The value that {@code response} sets the session cookie to, or null if it sets none
	 * or clears it.
	 */
	static @Nullable String newCookie(HttpResponse<?> response) {
		List<String> cookies = sessionCookies(response);
		if (cookies.isEmpty()) {
			return null;
		}
		String header = cookies.get(cookies.size() - 1);
		int end = header.indexOf(';');
		String value = header.substring(COOKIE.length() + 1, (end >= 0) ? end : header.length());
		return value.isEmpty() ? null : value;
	}

	/**
	 * Runs every task at the same moment, each on a thread of its own, and returns what
	 * each returned, in order. Bounded: gives up after 60 s.
	 */
	static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (Callable<T> task : tasks) {
				futures.add(threads.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

	/** The request of {@code operation}, with what it needs stored first. */
	Scenario prepare(SessionOperation operation) {
		String cookie = (operation != SessionOperation.CREATE) ? newSession("a", "1") : null;
		if (operation == SessionOperation.TOUCH) {
			clock().advance(TIMEOUT.dividedBy(4).plusMinutes(1));
		}
		return new Scenario(operation, cookie);
	}

	/**
	 * Runs the scenario's request with the store failing from the moment the session is
	 * loaded.
	 */
	HttpResponse<String> duringFault(Scenario scenario, StoreFault fault) throws Exception {
		try {
			if (scenario.operation() == SessionOperation.LOAD) {
				fault.start();
				return get(scenario.operation().path, scenario.cookie());
			}
			CompletableFuture<HttpResponse<String>> response = async(
					() -> get(scenario.operation().path, scenario.cookie()));
			RuntimeException notStarted = null;
			try {
				gate().awaitEntered();
				fault.start();
			}
			catch (RuntimeException ex) {
				notStarted = ex;
			}
			finally {
				gate().release();
			}
			HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
			if (notStarted != null) {
				throw notStarted;
			}
			return answer;
		}
		finally {
			fault.stop();
		}
	}

	/** Log lines of {@code level} written since {@code from} characters of the output. */
	static List<String> logLines(CapturedOutput output, int from, String level) {
		return output.getOut().substring(from).lines().filter((line) -> line.contains(" " + level + " ")).toList();
	}

	/**
	 * A write that one request of a race made.
	 *
	 * @param line the {@code key=value} line it would add to {@code /keys}
	 * @param status the status it was answered
	 * @param newCookie the session cookie's value it was given, or null
	 */
	record Write(String line, int status, @Nullable String newCookie) {

		static Write of(String key, String value, HttpResponse<?> response) {
			return new Write(key + "=" + value, response.statusCode(), SessionPromisesFixture.newCookie(response));
		}

		/** Answered 200 in the session it was sent to, not in a new one. */
		boolean acknowledged() {
			return this.status == 200 && this.newCookie == null;
		}

	}

	/**
	 * A request of {@code operation} on the session {@code cookie} names, or on none.
	 *
	 * @param operation what the request does
	 * @param cookie the session cookie's value, or null
	 */
	record Scenario(SessionOperation operation, @Nullable String cookie) {

	}

}
