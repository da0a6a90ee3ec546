package io.github.webpysession.sample.security;

import java.util.List;
import java.util.Map;

import io.github.webpysession.testsupport.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample in a real browser, headless Chromium: Spring Security's login form, the
 * sessions page, "log out my other sessions", remember-me and logout, as a person would
 * use them. Two browsers are the same user on two devices. The store is the memory one:
 * what each store promises is {@link SecuritySampleTests}' subject, what a browser does
 * with the pages is this.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTests {

	SampleInstance instance;

	Chromium laptop;

	Chromium phone;

	@AfterAll
	void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { this.instance, this.laptop, this.phone }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// the others are closed all the same
			}
		}
	}

	/**
	 * Started at the first test, so that an absent Chromium skips each test with its
	 * message.
	 */
	@BeforeEach
	void startedWithEverybodyLoggedOut() {
		if (this.instance == null) {
			this.laptop = Chromium.start();
			this.phone = Chromium.start();
			this.instance = SampleInstance.start(Map.of("session.store", "memory"));
		}
		for (Chromium browser : List.of(this.laptop, this.phone)) {
			open(browser.driver(), "/login");
			browser.driver().manage().deleteAllCookies();
		}
		for (String user : SecuritySampleApplication.USERS) {
			this.instance.sessions().killByPrincipalName(user);
		}
	}

	@Test
	void theLoginFormLogsInAndThePageShowsTheUserAndThisSession() {
		WebDriver browser = this.laptop.driver();
		open(browser, "/");
		assertThat(browser.getCurrentUrl()).endsWith("/login");
		logIn(browser, "alice", false);
		assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("alice");
		List<WebElement> rows = browser.findElements(By.cssSelector("#sessions tr.session"));
		assertThat(rows).singleElement()
			.satisfies((row) -> assertThat(row.getText()).contains("this session", "SPRING_SECURITY_CONTEXT"));
	}

	@Test
	void aWrongPasswordShowsTheFormAgainWithAnError() {
		WebDriver browser = this.laptop.driver();
		open(browser, "/");
		browser.findElement(By.id("username")).sendKeys("alice");
		browser.findElement(By.id("password")).sendKeys("wrong");
		Chromium.clickThrough(browser, By.cssSelector("button[type=submit]"));
		assertThat(browser.getCurrentUrl()).endsWith("/login?error");
		assertThat(browser.findElement(By.tagName("body")).getText()).contains("Invalid credentials");
	}

	@Test
	void logOutMyOtherSessionsEndsTheOtherBrowsersLoginAndKeepsThisOne() {
		WebDriver laptop = this.laptop.driver();
		WebDriver phone = this.phone.driver();
		open(laptop, "/");
		logIn(laptop, "alice", false);
		open(phone, "/");
		logIn(phone, "alice", false);
		laptop.navigate().refresh();
		assertThat(laptop.findElements(By.cssSelector("#sessions tr.session"))).hasSize(2);
		assertThat(laptop.findElements(By.cssSelector("#sessions tr.session.current"))).hasSize(1);
		Chromium.clickThrough(laptop, By.id("logout-others"));
		assertThat(laptop.findElement(By.id("message")).getText()).isEqualTo("Logged out 1 other session.");
		assertThat(laptop.findElements(By.cssSelector("#sessions tr.session"))).hasSize(1);
		phone.navigate().refresh();
		assertThat(phone.getCurrentUrl()).endsWith("/login");
		laptop.navigate().refresh();
		assertThat(laptop.findElement(By.id("user")).getText()).isEqualTo("alice");
		assertThat(laptop.findElements(By.id("message"))).as("the message is shown once").isEmpty();
	}

	@Test
	void theLogoutButtonLogsOut() {
		WebDriver browser = this.laptop.driver();
		open(browser, "/");
		logIn(browser, "bob", false);
		Chromium.clickThrough(browser, By.id("logout"));
		assertThat(browser.getCurrentUrl()).endsWith("/login?logout");
		open(browser, "/");
		assertThat(browser.getCurrentUrl()).endsWith("/login");
		assertThat(this.instance.sessions().findByPrincipalName("bob")).isEmpty();
	}

	@Test
	void rememberMeLogsTheBrowserBackInAfterItsSessionIsKilled() {
		WebDriver browser = this.laptop.driver();
		open(browser, "/");
		logIn(browser, "carol", true);
		assertThat(this.instance.sessions().killByPrincipalName("carol")).isEqualTo(1);
		open(browser, "/");
		assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("carol");
	}

	@Test
	void theBrowserKeepsTheSessionCookieHttpOnlyAndNoJsessionid() {
		WebDriver browser = this.laptop.driver();
		open(browser, "/");
		logIn(browser, "alice", true);
		assertThat(browser.manage().getCookies()).extracting(Cookie::getName)
			.contains(Visitor.SESSION_COOKIE, Visitor.REMEMBER_ME_COOKIE)
			.doesNotContain("JSESSIONID");
		assertThat(browser.manage().getCookieNamed(Visitor.SESSION_COOKIE).isHttpOnly()).isTrue();
	}

	private void logIn(WebDriver browser, String user, boolean rememberMe) {
		assertThat(browser.getCurrentUrl()).endsWith("/login");
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(user);
		if (rememberMe) {
			browser.findElement(By.name("remember-me")).click();
		}
		Chromium.clickThrough(browser, By.cssSelector("button[type=submit]"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Logged in as " + user);
	}

	private void open(WebDriver browser, String path) {
		browser.get("http://localhost:" + this.instance.port() + path);
	}

}
