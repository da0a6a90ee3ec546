package io.github.webpysession.sample.security;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.webpysession.SessionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's promises over real HTTP, on one store: a subclass names it. Spring
 * Security's form login is kept in the starter's session (no {@code JSESSIONID}, ever),
 * its id changes at login, logout and {@code Sessions} end it in the store, remember-me
 * logs a user back in, and "log out my other sessions" ends every other session of that
 * user and only those.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecuritySampleTests {

	private Path directory;

	SampleInstance instance;

	/**
	 * The store's properties; {@code directory} is this class's own temporary folder.
	 * Skips the test (see {@code Services}) where the store's server is absent.
	 */
	abstract Map<String, String> storeProperties(Path directory);

	@BeforeAll
	void folder(@TempDir Path directory) {
		this.directory = directory;
	}

	/**
	 * Started at the first test, so that a store's absent server skips each test with its
	 * message.
	 */
	@BeforeEach
	void startedWithEverybodyLoggedOut() {
		if (this.instance == null) {
			this.instance = SampleInstance.start(storeProperties(this.directory));
		}
		for (String user : SecuritySampleApplication.USERS) {
			this.instance.sessions().killByPrincipalName(user);
		}
	}

	@AfterAll
	void stop() {
		if (this.instance != null) {
			this.instance.close();
		}
	}

	Path directory() {
		return this.directory;
	}

	/** Stops the instance and starts it again, on the same port and store. */
	void restart() {
		Map<String, String> properties = new HashMap<>(storeProperties(this.directory));
		properties.put("server.port", String.valueOf(this.instance.port()));
		this.instance.close();
		this.instance = null;
		this.instance = SampleInstance.start(properties);
	}

	@Test
	void aFormLoginLogsTheUserIn() {
		Visitor alice = this.instance.visitor();
		assertThat(alice.whoAmI()).isNull();
		HttpResponse<String> login = alice.logIn("alice");
		assertThat(location(login)).doesNotContain("error");
		assertThat(alice.whoAmI()).isEqualTo("alice");
	}

	@Test
	void aWrongPasswordLogsNobodyIn() {
		Visitor mallory = this.instance.visitor();
		HttpResponse<String> login = mallory.logIn("alice", "guess", false);
		assertThat(location(login)).endsWith("/login?error");
		assertThat(mallory.whoAmI()).isNull();
		assertThat(this.instance.sessions().findByPrincipalName("alice")).isEmpty();
	}

	@Test
	void theSessionIdChangesAtLogin() {
		Visitor alice = this.instance.visitor();
		alice.get("/login");
		String before = alice.sessionCookie();
		assertThat(before).as("the login page's session, which keeps its CSRF token").isNotNull();
		alice.logIn("alice");
		assertThat(alice.sessionCookie()).isNotNull().isNotEqualTo(before);
	}

	@Test
	void aSessionIdPlantedBeforeLoginIsNotLoggedInAfterIt() {
		Visitor mallory = this.instance.visitor();
		mallory.get("/login");
		Visitor alice = this.instance.visitor();
		alice.presentSessionCookie(mallory.sessionCookie());
		alice.logIn("alice");
		assertThat(alice.whoAmI()).isEqualTo("alice");
		assertThat(mallory.whoAmI()).isNull();
	}

	@Test
	void aSessionIdPlantedBeforeARememberMeLoginIsNotLoggedInAfterIt() {
		Visitor alice = this.instance.visitor();
		alice.logInRemembered("alice");
		this.instance.sessions().killByPrincipalName("alice");
		Visitor mallory = this.instance.visitor();
		mallory.get("/login");
		alice.presentSessionCookie(mallory.sessionCookie());
		assertThat(alice.whoAmI()).isEqualTo("alice");
		assertThat(alice.sessionCookie()).isNotEqualTo(mallory.sessionCookie());
		assertThat(mallory.whoAmI()).isNull();
	}

	@Test
	void noResponseSetsJsessionid() {
		Visitor alice = this.instance.visitor();
		alice.get("/");
		alice.logInRemembered("alice");
		alice.get("/");
		alice.post("/sessions/logout-others");
		alice.get("/");
		assertThat(alice.get("/no-such-page").statusCode()).isEqualTo(404);
		assertThat(alice.postWithoutToken("/sessions/logout-others", Map.of()).statusCode()).isEqualTo(403);
		this.instance.sessions().killByPrincipalName("alice");
		alice.get("/me");
		alice.logOut();
		alice.get("/no-such-page");
		assertThat(alice.cookiesSet()).contains(Visitor.SESSION_COOKIE, Visitor.REMEMBER_ME_COOKIE)
			.doesNotContain("JSESSIONID");
	}

	@Test
	void theLoginIndexesTheSessionUnderTheUsersName() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		List<SessionInfo> sessions = this.instance.sessions().findByPrincipalName("alice");
		assertThat(sessions).singleElement().satisfies((info) -> {
			assertThat(info.principalName()).isEqualTo("alice");
			assertThat(info.attributeNames()).contains("SPRING_SECURITY_CONTEXT");
		});
	}

	@Test
	void theSessionsIdInTheStoreIsNotItsCookie() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		String cookie = alice.sessionCookie();
		String id = this.instance.sessions().findByPrincipalName("alice").get(0).id();
		assertThat(id).isNotEqualTo(cookie);
		assertThat(cookie).doesNotContain(id);
		Visitor mallory = this.instance.visitor();
		mallory.presentSessionCookie(id);
		assertThat(mallory.whoAmI()).as("the store's id, presented as a cookie").isNull();
	}

	@Test
	void logoutKillsTheSessionInTheStore() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		String cookie = alice.sessionCookie();
		String id = this.instance.sessions().findByPrincipalName("alice").get(0).id();
		HttpResponse<String> logout = alice.logOut();
		assertThat(location(logout)).endsWith("/login?logout");
		assertThat(this.instance.sessions().find(id)).isEmpty();
		assertThat(this.instance.sessions().findByPrincipalName("alice")).isEmpty();
		Visitor replay = this.instance.visitor();
		replay.presentSessionCookie(cookie);
		assertThat(replay.whoAmI()).as("the logged-out cookie, presented again").isNull();
	}

	@Test
	void theSessionsPageListsTheUsersSessionsAndMarksThisOne() {
		Visitor laptop = this.instance.visitor();
		laptop.logIn("alice");
		Visitor phone = this.instance.visitor();
		phone.logIn("alice");
		this.instance.visitor().logIn("bob");
		String page = laptop.get("/").body();
		assertThat(page).contains("Logged in as <span id=\"user\">alice</span>");
		assertThat(rows(page)).isEqualTo(2);
		assertThat(Pattern.compile("<tr class=\"session current\">").matcher(page).results().count()).isEqualTo(1);
		assertThat(page).contains("SPRING_SECURITY_CONTEXT")
			.doesNotContain(phone.sessionCookie())
			.doesNotContain(laptop.sessionCookie());
	}

	@Test
	void logOutOthersEndsTheUsersOtherSessionsAndNotThisOne() {
		Visitor laptop = this.instance.visitor();
		laptop.logIn("alice");
		Visitor phone = this.instance.visitor();
		phone.logIn("alice");
		Visitor tablet = this.instance.visitor();
		tablet.logIn("alice");
		Visitor bob = this.instance.visitor();
		bob.logIn("bob");
		HttpResponse<String> done = laptop.post("/sessions/logout-others");
		assertThat(done.statusCode()).isEqualTo(302);
		assertThat(laptop.get("/").body()).contains("Logged out 2 other sessions.");
		assertThat(laptop.whoAmI()).isEqualTo("alice");
		assertThat(phone.whoAmI()).isNull();
		assertThat(tablet.whoAmI()).isNull();
		assertThat(bob.whoAmI()).isEqualTo("bob");
		assertThat(this.instance.sessions().findByPrincipalName("alice")).hasSize(1);
	}

	@Test
	void theLogOutOthersMessageIsShownOnce() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		alice.post("/sessions/logout-others");
		assertThat(alice.get("/").body()).contains("Logged out 0 other sessions.");
		assertThat(alice.get("/").body()).doesNotContain("id=\"message\"");
	}

	@Test
	void logOutOthersWithoutTheCsrfTokenIsRefusedAndEndsNothing() {
		Visitor laptop = this.instance.visitor();
		laptop.logIn("alice");
		Visitor phone = this.instance.visitor();
		phone.logIn("alice");
		assertThat(laptop.postWithoutToken("/sessions/logout-others", Map.of()).statusCode()).isEqualTo(403);
		assertThat(phone.whoAmI()).isEqualTo("alice");
		assertThat(laptop.whoAmI()).isEqualTo("alice");
	}

	@Test
	void killByPrincipalNameEndsEverySessionOfOneUserAndNobodyElses() {
		Visitor laptop = this.instance.visitor();
		laptop.logIn("alice");
		Visitor phone = this.instance.visitor();
		phone.logIn("alice");
		Visitor bob = this.instance.visitor();
		bob.logIn("bob");
		assertThat(this.instance.sessions().killByPrincipalName("alice")).isEqualTo(2);
		assertThat(laptop.whoAmI()).isNull();
		assertThat(phone.whoAmI()).isNull();
		assertThat(bob.whoAmI()).isEqualTo("bob");
	}

	@Test
	void rememberMeLogsTheUserBackInAfterTheSessionIsKilled() {
		Visitor alice = this.instance.visitor();
		alice.logInRemembered("alice");
		assertThat(alice.cookie(Visitor.REMEMBER_ME_COOKIE)).isNotNull();
		String killed = alice.sessionCookie();
		assertThat(this.instance.sessions().killByPrincipalName("alice")).isEqualTo(1);
		assertThat(alice.whoAmI()).isEqualTo("alice");
		assertThat(alice.sessionCookie()).as("a new session").isNotNull().isNotEqualTo(killed);
		assertThat(this.instance.sessions().findByPrincipalName("alice")).as("indexed under alice again").hasSize(1);
	}

	@Test
	void withoutRememberMeAKilledSessionIsLoggedOut() {
		Visitor alice = this.instance.visitor();
		alice.logIn("alice");
		assertThat(alice.cookie(Visitor.REMEMBER_ME_COOKIE)).isNull();
		this.instance.sessions().killByPrincipalName("alice");
		assertThat(alice.whoAmI()).isNull();
	}

	@Test
	void afterLogoutTheRememberMeCookieNoLongerLogsIn() {
		Visitor alice = this.instance.visitor();
		alice.logInRemembered("alice");
		alice.logOut();
		assertThat(alice.whoAmI()).isNull();
	}

	static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElseThrow();
	}

	static int rows(String page) {
		return (int) Pattern.compile("<tr class=\"session").matcher(page).results().count();
	}

}
