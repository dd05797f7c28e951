package io.boxoffice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real Chromium, headless, driven through chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}), with a fresh profile. Each step can be kept as a screenshot
 * under {@code target/screenshots}. Without the browser the test is skipped on a
 * developer's machine and fails under CI ({@code CI=true}).
 */
public final class Browser implements AutoCloseable {

	private static final Path CHROMIUM = Path.of(System.getProperty("boxoffice.chromium", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getProperty("boxoffice.chromedriver", "/usr/bin/chromedriver"));

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final ChromeDriver driver;

	private final Path profile;

	private final String base;

	private final String name;

	private int step;

	private Browser(String base, String name) {
		this.base = base;
		this.name = name;
		try {
			this.profile = Files.createTempDirectory("boxoffice-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + this.profile);
		options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
	}

	/**
	 * A browser on the service at {@code port}; {@code name} names its screenshots.
	 */
	public static Browser open(int port, String name) {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (!installed) {
			String missing = "Chromium (" + CHROMIUM + ") and chromedriver (" + CHROMEDRIVER + ") are needed";
			if ("true".equals(System.getenv("CI"))) {
				throw new AssertionError(missing + "; CI must install them (.ci/run)");
			}
			Assumptions.abort(missing + "; install Debian's chromium and chromium-driver");
		}
		return new Browser("http://localhost:" + port, name);
	}

	public Browser go(String path) {
		this.driver.get(this.base + path);
		return this;
	}

	public WebDriver driver() {
		return this.driver;
	}

	public WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	public List<WebElement> all(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	/**
	 * The element's text; read again when a live region swapped the element while it was
	 * being read.
	 */
	public String text(String css) {
		for (int attempt = 1;; attempt++) {
			try {
				return find(css).getText();
			}
			catch (StaleElementReferenceException swapped) {
				if (attempt == 3) {
					throw swapped;
				}
			}
		}
	}

	public Browser type(String css, String text) {
		WebElement field = find(css);
		field.clear();
		field.sendKeys(text);
		return this;
	}

	public Browser click(String css) {
		find(css).click();
		return this;
	}

	/**
	 * Clicks a button that submits a form to a new page and waits until that page has
	 * replaced this one, so that what is read next is the answer and not the page the
	 * form was on, and until the new page has loaded: a field typed into while the page
	 * is still being parsed can be detached under the driver ("Node with given id does
	 * not belong to the document"). The old page is told by a mark on its window, which a
	 * new document does not have: asking an element of the old page whether it went stale
	 * could fail with that same error while Chrome replaced the page, which is no
	 * stale-element exception. The driver's errors while the page changes are waited out.
	 */
	public Browser submit(String css) {
		script("window.boxofficeOldPage = true");
		click(css);
		new WebDriverWait(this.driver, Duration.ofSeconds(30)).ignoring(WebDriverException.class)
			.until(driver -> Boolean.TRUE
				.equals(script("return window.boxofficeOldPage === undefined && document.readyState === 'complete'")));
		return this;
	}

	public String path() {
		String url = this.driver.getCurrentUrl();
		return (url != null) ? url.substring(this.base.length()) : "";
	}

	/**
	 * Waits up to {@code seconds} for the condition; a correctness check, not a timing.
	 */
	public <T> T await(int seconds, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(seconds))
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	public Browser awaitText(String css, String contained) {
		await(30, driver -> {
			List<WebElement> found = driver.findElements(By.cssSelector(css));
			return !found.isEmpty() && found.get(0).getText().contains(contained);
		});
		return this;
	}

	public @org.jspecify.annotations.Nullable Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/** Signs up through the sign-up page and returns the new account's email. */
	public String signUp(String role) {
		String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
		go("/signup").type("#email", email).type("#password", "password-123");
		click("input[name=role][value=" + role + "]");
		find("form.stack button[type=submit]").click();
		await(30, driver -> find("header .who").getText().equals(email));
		return email;
	}

	public Browser signIn(String email, String password) {
		go("/signin").type("#email", email).type("#password", password);
		return submit("form.stack button[type=submit]");
	}

	/** Keeps the page as {@code target/screenshots/<browser>/<step>-<what>.png}. */
	public Browser screenshot(String what) {
		try {
			Path directory = Files.createDirectories(SCREENSHOTS.resolve(this.name));
			Path shot = this.driver.getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(shot, directory.resolve(String.format("%02d-%s.png", ++this.step, what)),
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	/** The page's console errors (a refused script, a blocked inline style, ...). */
	public List<String> severeLogs() {
		return this.driver.manage()
			.logs()
			.get("browser")
			.getAll()
			.stream()
			.filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
			.map(entry -> entry.getMessage())
			.toList();
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			org.springframework.util.FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

}
