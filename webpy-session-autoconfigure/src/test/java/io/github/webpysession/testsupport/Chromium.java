package io.github.webpysession.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through Selenium, for end-to-end tests: Debian's
 * {@code chromium} and {@code chromium-driver} packages, used where they are installed
 * (nothing is downloaded: the driver is given explicitly, so that Selenium Manager never
 * runs). Each browser has a profile of its own in a new temporary folder, so two browsers
 * are two users with their own cookies. Where Chromium or its driver is absent,
 * {@link #start()} skips the test with a message, unless
 * {@code webpysession.require-services} is true (as {@code .ci/run} sets it): then it
 * fails.
 */
public final class Chromium implements AutoCloseable {

	public static final Path BROWSER = Path.of("/usr/bin/chromium");

	public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private final ChromeDriver driver;

	private final Path profile;

	private Chromium(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Clicks what {@code locator} finds (a link, a submit button) and waits until the
	 * browser has left the page it was on and loaded the one the click led to, so that
	 * what the test reads next is that page. Leaving alone is not enough: an element
	 * found while the next document still loads may belong to neither (CI once failed on
	 * "Node with given id does not belong to the document").
	 */
	public static void clickThrough(WebDriver browser, By locator) {
		WebElement page = browser.findElement(By.tagName("html"));
		browser.findElement(locator).click();
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
		wait.until((driver) -> hasLeft(page));
		// a script run while the document is being replaced may fail: asked again
		wait.ignoring(WebDriverException.class)
			.until((driver) -> "complete"
				.equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
	}

	/**
	 * Whether {@code page}'s element is gone from the browser's document. Chromium
	 * answers a stale element, or, while the old document is being replaced, "Node with
	 * given id does not belong to the document" (an unknown error, which Selenium's
	 * {@code stalenessOf} does not take for stale: CI failed on it).
	 */
	private static boolean hasLeft(WebElement page) {
		try {
			page.isEnabled();
			return false;
		}
		catch (StaleElementReferenceException ex) {
			return true;
		}
		catch (WebDriverException ex) {
			if (String.valueOf(ex.getMessage()).contains("does not belong to the document")) {
				return true;
			}
			throw ex;
		}
	}

	/**
	 * A new browser with an empty profile; skips (or fails) the test where Chromium is
	 * absent.
	 */
	public static Chromium start() {
		require();
		Path profile;
		try {
			profile = Files.createTempDirectory("chromium-profile");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
		ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.withLogOutput(OutputStream.nullOutputStream())
			.build();
		try {
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
			return new Chromium(driver, profile);
		}
		catch (RuntimeException ex) {
			delete(profile);
			throw ex;
		}
	}

	private static void require() {
		String problem = !Files.isExecutable(BROWSER) ? BROWSER + " is missing"
				: !Files.isExecutable(DRIVER) ? DRIVER + " is missing" : null;
		if (problem == null) {
			return;
		}
		String message = "Chromium is not installed (" + problem + ")";
		if (Boolean.getBoolean("webpysession.require-services")) {
			Assertions.fail(message + "; webpysession.require-services is true, so this test may not be skipped");
		}
		Assumptions.abort(message + "; skipping. Install Debian's chromium and chromium-driver"
				+ " (apt-get install chromium chromium-driver), or run .ci/run, to run this test");
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			delete(this.profile);
		}
	}

	private static void delete(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// a temporary folder left behind
		}
	}

}
