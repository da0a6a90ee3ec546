package io.github.webpysession.actuate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.github.webpysession.Session;
import io.github.webpysession.testapp.TestApplication;
import io.github.webpysession.testsupport.HttpClientWithCookies;
import io.github.webpysession.web.SessionIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code webpysessions} endpoint over real HTTP: sessions found by their store id or
 * their principal, killed one by one or all of a principal's, and never a cookie's value
 * nor a session's values in an answer.
 */
@SpringBootTest(classes = { TestApplication.class, SessionsEndpointHttpTests.LoginPage.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session.store=memory", "management.endpoints.web.exposure.include=webpysessions" })
class SessionsEndpointHttpTests {

	private static final String COOKIE = "webpy_session_id";

	private static final String SECRET = "a value only the session knows";

	@LocalServerPort
	int port;

	private final List<String> cookies = new ArrayList<>();

	private final List<String> answers = new ArrayList<>();

	@AfterEach
	void noAnswerHoldsACookieValueOrASessionValue() {
		assertThat(this.cookies).isNotEmpty();
		for (String answer : this.answers) {
			assertThat(answer).doesNotContain(SECRET);
			this.cookies.forEach((cookie) -> assertThat(answer).doesNotContain(cookie));
		}
	}

	@Test
	void aSessionIsShownByItsStoreIdPrincipalAttributeNamesAndSize() {
		HttpClientWithCookies alice = loggedIn("alice");

		HttpResponse<String> answer = endpoint("GET", "/" + storeId(alice));

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("\"id\":\"" + storeId(alice) + "\"", "\"principalName\":\"alice\"",
				"\"attributeNames\":[", "\"secret\"", "\"size\":", "\"expiresAt\":");
	}

	@Test
	void anUnknownIdAnswers404AndSoDoesACookiesValue() {
		HttpClientWithCookies alice = loggedIn("alice");

		assertThat(endpoint("GET", "/" + SessionIds.digest(SessionIds.generate())).statusCode()).isEqualTo(404);
		assertThat(endpoint("GET", "/" + alice.cookie(COOKIE)).statusCode()).isEqualTo(404);
		assertThat(endpoint("GET", "/not-an-id").statusCode()).isEqualTo(404);
	}

	@Test
	void thePrincipalsSessionsAreListedAndNoOneElses() {
		HttpClientWithCookies laptop = loggedIn("alice");
		HttpClientWithCookies phone = loggedIn("alice");
		HttpClientWithCookies bob = loggedIn("bob");

		HttpResponse<String> answer = endpoint("GET", "?principal=alice");

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).startsWith("{\"sessions\":[")
			.contains(storeId(laptop), storeId(phone))
			.doesNotContain(storeId(bob), "\"bob\"");
	}

	@Test
	void aPrincipalWithoutSessionsHasAnEmptyList() {
		loggedIn("alice");

		assertThat(endpoint("GET", "?principal=carol").body()).isEqualTo("{\"sessions\":[]}");
	}

	@Test
	void deleteKillsTheSessionAndAnswers204() {
		HttpClientWithCookies alice = loggedIn("alice");
		String id = storeId(alice);

		assertThat(endpoint("DELETE", "/" + id).statusCode()).isEqualTo(204);

		assertThat(endpoint("GET", "/" + id).statusCode()).isEqualTo(404);
		assertThat(alice.get("/get?key=secret").body()).isEqualTo("null");
	}

	@Test
	void deleteOfAnUnknownIdChangesNothing() {
		HttpClientWithCookies alice = loggedIn("alice");

		assertThat(endpoint("DELETE", "/" + SessionIds.digest(SessionIds.generate())).statusCode()).isEqualTo(204);

		assertThat(endpoint("GET", "/" + storeId(alice)).statusCode()).isEqualTo(200);
	}

	@Test
	void deleteByPrincipalKillsEverySessionOfThatPrincipalOnly() {
		HttpClientWithCookies laptop = loggedIn("alice");
		HttpClientWithCookies phone = loggedIn("alice");
		HttpClientWithCookies bob = loggedIn("bob");

		assertThat(endpoint("DELETE", "?principal=alice").statusCode()).isEqualTo(204);

		assertThat(laptop.get("/get?key=secret").body()).isEqualTo("null");
		assertThat(phone.get("/get?key=secret").body()).isEqualTo("null");
		assertThat(endpoint("GET", "/" + storeId(bob)).statusCode()).isEqualTo(200);
	}

	private HttpClientWithCookies loggedIn(String name) {
		HttpClientWithCookies client = new HttpClientWithCookies(this.port);
		assertThat(client.get("/as?name=" + name).statusCode()).isEqualTo(200);
		this.cookies.add(client.cookie(COOKIE));
		return client;
	}

	private static String storeId(HttpClientWithCookies client) {
		return SessionIds.digest(client.cookie(COOKIE));
	}

	private HttpResponse<String> endpoint(String method, String path) {
		HttpResponse<String> answer = new HttpClientWithCookies(this.port)
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/webpysessions" + path))
				.method(method, HttpRequest.BodyPublishers.noBody()));
		this.answers.add(answer.body());
		return answer;
	}

	/** A login without Spring Security: the session indexed under a name by hand. */
	@TestConfiguration(proxyBeanMethods = false)
	@RestController
	static class LoginPage {

		@GetMapping("/as")
		String as(Session session, @RequestParam String name) {
			session.setPrincipalName(name);
			session.put("secret", SECRET);
			return "ok";
		}

	}

}
