package io.github.webpysession.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A real HTTP client that keeps cookies like a browser, for tests against an embedded
 * server on a random port.
 */
public final class HttpClientWithCookies {

	private final String baseUrl;

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client;

	public HttpClientWithCookies(int port) {
		this("http://localhost:" + port);
	}

	public HttpClientWithCookies(String baseUrl) {
		this.baseUrl = baseUrl;
		this.client = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	/** GETs {@code path}, sending and keeping cookies. */
	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).GET());
	}

	/** GETs {@code path} with this exact Cookie header and no kept cookies. */
	public HttpResponse<String> getWithCookieHeader(String path, String cookieHeader) {
		return send(HttpClient.newHttpClient(),
				HttpRequest.newBuilder(URI.create(this.baseUrl + path)).header("Cookie", cookieHeader));
	}

	public HttpResponse<String> send(HttpRequest.Builder request) {
		return send(this.client, request);
	}

	private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
		try {
			return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The value of the kept cookie {@code name}, or null. */
	public @Nullable String cookie(String name) {
		List<HttpCookie> all = this.cookies.getCookieStore().getCookies();
		return all.stream().filter((c) -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null);
	}

	/** Sets a cookie as if the server had set it. */
	public void setCookie(String name, String value) {
		HttpCookie cookie = new HttpCookie(name, value);
		cookie.setPath("/");
		cookie.setVersion(0);
		this.cookies.getCookieStore().add(URI.create(this.baseUrl), cookie);
	}

}
