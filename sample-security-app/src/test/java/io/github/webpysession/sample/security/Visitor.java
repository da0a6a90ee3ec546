package io.github.webpysession.sample.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone using the sample over real HTTP with a client that keeps cookies like a browser
 * (and follows no redirect): logs in through the form, posts forms with their CSRF token.
 * Every response is checked: none may set {@code JSESSIONID} nor answer 5xx.
 */
final class Visitor {

	static final String SESSION_COOKIE = "webpy_session_id";

	static final String REMEMBER_ME_COOKIE = "remember-me";

	private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");

	private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

	private final CookieManager cookies;

	private final HttpClient client;

	private final List<String> cookiesSet;

	private final String base;

	Visitor(int port) {
		this.cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
		this.client = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		this.cookiesSet = new ArrayList<>();
		this.base = "http://localhost:" + port;
	}

	private Visitor(Visitor visitor, int port) {
		this.cookies = visitor.cookies;
		this.client = visitor.client;
		this.cookiesSet = visitor.cookiesSet;
		this.base = "http://localhost:" + port;
	}

	/**
	 * The same visitor, with the same cookies, sending its requests to {@code instance}.
	 */
	Visitor at(SampleInstance instance) {
		return new Visitor(this, instance.port());
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	/** POSTs a form, with the CSRF token of the session's login page added. */
	HttpResponse<String> post(String path, Map<String, String> form) {
		Map<String, String> fields = new LinkedHashMap<>(form);
		fields.put("_csrf", csrfToken());
		return postWithoutToken(path, fields);
	}

	HttpResponse<String> post(String path) {
		return post(path, Map.of());
	}

	HttpResponse<String> postWithoutToken(String path, Map<String, String> form) {
		String body = form.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Logs in through Spring Security's form (the sample's passwords are the user names).
	 */
	HttpResponse<String> logIn(String user) {
		return logIn(user, user, false);
	}

	HttpResponse<String> logInRemembered(String user) {
		return logIn(user, user, true);
	}

	HttpResponse<String> logIn(String user, String password, boolean rememberMe) {
		Map<String, String> form = new LinkedHashMap<>(Map.of("username", user, "password", password));
		if (rememberMe) {
			form.put("remember-me", "on");
		}
		HttpResponse<String> answer = post("/login", form);
		assertThat(answer.statusCode()).as("the login form's answer").isEqualTo(302);
		return answer;
	}

	HttpResponse<String> logOut() {
		return post("/logout");
	}

	/**
	 * Who the sample says is logged in, or null when it sends this visitor to the login
	 * form.
	 */
	@Nullable String whoAmI() {
		HttpResponse<String> me = get("/me");
		if (me.statusCode() == 302) {
			assertThat(me.headers().firstValue("Location"))
				.hasValueSatisfying((to) -> assertThat(to).endsWith("/login"));
			return null;
		}
		assertThat(me.statusCode()).as("GET /me").isEqualTo(200);
		return me.body();
	}

	/** The session cookie's value, or null. */
	@Nullable String sessionCookie() {
		return cookie(SESSION_COOKIE);
	}

	@Nullable String cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Presents {@code value} as the session cookie from now on, as an attacker would:
	 * replaces the one kept, as a server's Set-Cookie would.
	 */
	void presentSessionCookie(String value) {
		try {
			this.cookies.put(URI.create(this.base + "/"),
					Map.of("Set-Cookie", List.of(SESSION_COOKIE + "=" + value + "; Path=/")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertThat(sessionCookie()).isEqualTo(value);
	}

	/** The names of every cookie the responses to this visitor set, in order. */
	List<String> cookiesSet() {
		return List.copyOf(this.cookiesSet);
	}

	private String csrfToken() {
		HttpResponse<String> page = get("/login");
		assertThat(page.statusCode()).as("GET /login").isEqualTo(200);
		Matcher input = CSRF_INPUT.matcher(page.body());
		assertThat(input.find()).as("a CSRF token in the login page").isTrue();
		Matcher value = VALUE.matcher(input.group());
		assertThat(value.find()).isTrue();
		return value.group(1);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		HttpResponse<String> response;
		try {
			response = this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		for (String cookie : response.headers().allValues("Set-Cookie")) {
			this.cookiesSet.add(cookie.substring(0, Math.max(0, cookie.indexOf('='))));
		}
		assertThat(response.headers().allValues("Set-Cookie")).as("cookies set by %s", response.request().uri())
			.noneMatch((cookie) -> cookie.startsWith("JSESSIONID"));
		assertThat(response.statusCode()).as("answer to %s", response.request().uri()).isLessThan(500);
		return response;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
