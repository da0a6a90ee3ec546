package io.github.webpysession.sample;

import io.github.webpysession.testsupport.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * web.py's two examples in a real browser, headless Chromium: following the links,
 * reloading, and the one cookie the browser keeps.
 */
class SampleApplicationBrowserTests extends SampleAppOnATemporaryFolder {

	static Chromium chromium;

	WebDriver browser;

	@AfterAll
	static void stopChromium() {
		if (chromium != null) {
			chromium.close();
		}
	}

	/**
	 * Started at the first test, so that an absent Chromium skips each test with its
	 * message.
	 */
	@BeforeEach
	void noCookies() {
		if (chromium == null) {
			chromium = Chromium.start();
		}
		this.browser = chromium.driver();
		open("/");
		this.browser.manage().deleteAllCookies();
	}

	@Test
	void theLoginLinkLogsInAndTheLogoutLinkLogsOut() {
		open("/");
		assertThat(heading()).isEqualTo("You are not logged in.");
		Chromium.clickThrough(this.browser, By.linkText("Login now"));
		assertThat(heading()).isEqualTo("You are logged in");
		assertThat(this.browser.getCurrentUrl()).endsWith("/");
		Chromium.clickThrough(this.browser, By.linkText("Logout"));
		assertThat(heading()).isEqualTo("You are not logged in.");
	}

	@Test
	void theCountGoesUpAtEachReloadAndStartsAgainAfterReset() {
		open("/count");
		assertThat(text()).isEqualTo("1");
		this.browser.navigate().refresh();
		assertThat(text()).isEqualTo("2");
		this.browser.navigate().refresh();
		assertThat(text()).isEqualTo("3");
		open("/reset");
		assertThat(text()).isEmpty();
		open("/count");
		assertThat(text()).isEqualTo("1");
	}

	@Test
	void theLoginKeepsTheCountAcrossTheNewId() {
		open("/count");
		String before = sessionCookie().getValue();
		open("/login");
		assertThat(heading()).isEqualTo("You are logged in");
		assertThat(sessionCookie().getValue()).isNotEqualTo(before);
		open("/count");
		assertThat(text()).isEqualTo("2");
	}

	@Test
	void theBrowserKeepsOneHttpOnlySessionCookieAndNoJsessionid() {
		open("/");
		assertThat(this.browser.manage().getCookies()).as("the index stores no session").isEmpty();
		open("/count");
		open("/login");
		assertThat(this.browser.manage().getCookies()).extracting(Cookie::getName).containsExactly("webpy_session_id");
		assertThat(sessionCookie().isHttpOnly()).isTrue();
		assertThat(sessionCookie().getSameSite()).isEqualTo("Lax");
	}

	@Test
	void twoBrowsersCountApart() {
		try (Chromium other = Chromium.start()) {
			open("/count");
			open("/count");
			other.driver().get("http://localhost:" + this.port + "/count");
			assertThat(other.driver().findElement(By.tagName("body")).getText()).isEqualTo("1");
			open("/count");
			assertThat(text()).isEqualTo("3");
		}
	}

	private void open(String path) {
		this.browser.get("http://localhost:" + this.port + path);
	}

	private String heading() {
		return this.browser.findElement(By.tagName("h1")).getText();
	}

	private String text() {
		return this.browser.findElement(By.tagName("body")).getText();
	}

	private Cookie sessionCookie() {
		Cookie cookie = this.browser.manage().getCookieNamed("webpy_session_id");
		assertThat(cookie).as("the session cookie").isNotNull();
		return cookie;
	}

}
