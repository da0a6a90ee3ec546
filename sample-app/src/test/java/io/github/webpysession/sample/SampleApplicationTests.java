package io.github.webpysession.sample;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's five pages, over real HTTP with a client that keeps cookies.
 */
class SampleApplicationTests extends SampleAppOnATemporaryFolder {

	Browser browser;

	@BeforeEach
	void newBrowser() {
		this.browser = new Browser(this.port);
	}

	@Test
	void theIndexSaysNotLoggedInWithALinkToLogin() throws Exception {
		HttpResponse<String> index = this.browser.get("/");
		assertThat(index.statusCode()).isEqualTo(200);
		assertThat(index.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(index.body()).contains("<h1>You are not logged in.</h1>").contains("href=\"/login\"");
	}

	@Test
	void theIndexStoresNoSessionAndSetsNoCookie() throws Exception {
		assertThat(this.browser.get("/").headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void loginAnswersSeeOtherToTheIndexWhichThenSaysLoggedInWithALinkToLogout() throws Exception {
		HttpResponse<String> login = this.browser.get("/login");
		assertThat(login.statusCode()).isEqualTo(303);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/"));
		assertThat(this.browser.get("/").body()).contains("<h1>You are logged in</h1>").contains("href=\"/logout\"");
	}

	@Test
	void loginRegeneratesTheSessionId() throws Exception {
		this.browser.get("/count");
		String before = this.browser.cookie();
		this.browser.get("/login");
		assertThat(this.browser.cookie()).isNotNull().isNotEqualTo(before);
		assertThat(this.browser.get("/count").body()).isEqualTo("2");
	}

	@Test
	void logoutAnswersSeeOtherAndTheIndexSaysNotLoggedInAgain() throws Exception {
		this.browser.get("/login");
		HttpResponse<String> logout = this.browser.get("/logout");
		assertThat(logout.statusCode()).isEqualTo(303);
		assertThat(this.browser.get("/").body()).contains("<h1>You are not logged in.</h1>");
	}

	@Test
	void countAnswersOneTwoThreeAsPlainText() throws Exception {
		HttpResponse<String> first = this.browser.get("/count");
		assertThat(first.body()).isEqualTo("1");
		assertThat(first.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(this.browser.get("/count").body()).isEqualTo("2");
		assertThat(this.browser.get("/count").body()).isEqualTo("3");
	}

	@Test
	void resetKillsTheSessionWithAnEmptyAnswerAndCountStartsAgain() throws Exception {
		this.browser.get("/count");
		this.browser.get("/count");
		HttpResponse<String> reset = this.browser.get("/reset");
		assertThat(reset.statusCode()).isEqualTo(200);
		assertThat(reset.body()).isEmpty();
		assertThat(this.browser.get("/count").body()).isEqualTo("1");
	}

	/** A client that keeps cookies and does not follow redirects. */
	static final class Browser {

		private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

		private final HttpClient client = HttpClient.newBuilder().cookieHandler(this.cookies).build();

		private final String base;

		Browser(int port) {
			this.base = "http://localhost:" + port;
		}

		HttpResponse<String> get(String path) throws Exception {
			return this.client.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}

		String cookie() {
			return this.cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter((cookie) -> cookie.getName().equals("webpy_session_id"))
				.map(java.net.HttpCookie::getValue)
				.findFirst()
				.orElse(null);
		}

	}

}
