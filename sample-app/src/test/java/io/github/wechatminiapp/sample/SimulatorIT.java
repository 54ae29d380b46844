package io.github.wechatminiapp.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator page in a real headless Chromium: wx.login, then getPhoneNumber by code
 * and by encryptedData, against the app in sandbox mode. Skipped when Chromium or its
 * driver is not installed (Debian: {@code apt-get
 * install chromium chromium-driver}; other paths with {@code -Dsample.chromium=...} and
 * {@code -Dsample.chromedriver=...}). Never downloads a browser or a driver.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "wechat.miniapp.http.read-timeout=1s",
		"wechat.miniapp.retry.initial-backoff=10ms", "wechat.miniapp.retry.max-backoff=20ms" })
class SimulatorIT {

	private static final Path CHROMIUM = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));

	/**
	 * Quiet: the test uses plain WebDriver, not the Chrome DevTools Protocol, so no CDP
	 * version is needed.
	 */
	private static final Logger CDP_LOGGER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

	private static boolean skipReported;

	private static Path userDataDir;

	private static WebDriver driver;

	@LocalServerPort
	int port;

	private WebDriverWait wait;

	/**
	 * Why the browser tests cannot run here, with the command that fixes it; empty when
	 * both are installed.
	 * @param chromium the browser binary
	 * @param chromedriver the driver binary
	 * @return the reason, or empty
	 */
	static Optional<String> skipReason(Path chromium, Path chromedriver) {
		if (Files.isExecutable(chromium) && Files.isExecutable(chromedriver)) {
			return Optional.empty();
		}
		return Optional
			.of("SimulatorIT skipped: " + (Files.isExecutable(chromium) ? "" : "no Chromium at " + chromium + "; ")
					+ (Files.isExecutable(chromedriver) ? "" : "no chromedriver at " + chromedriver + "; ")
					+ "install them with: apt-get install chromium chromium-driver "
					+ "(or give other paths with -Dsample.chromium= and -Dsample.chromedriver=)");
	}

	/**
	 * Starts the browser for the first test; each test is skipped, with the reason, when
	 * there is none.
	 */
	static void startBrowser() throws IOException {
		Optional<String> skip = skipReason(CHROMIUM, CHROMEDRIVER);
		if (skip.isPresent()) {
			if (!skipReported) {
				// Failsafe's summary shows only a count of skipped tests: say why, once,
				// where the build log shows it.
				skipReported = true;
				System.err.println("[WARNING] " + skip.get());
			}
			Assumptions.abort(skip.get());
		}
		if (driver != null) {
			return;
		}
		CDP_LOGGER.setLevel(Level.SEVERE);
		// Both paths given, so Selenium Manager has nothing to look up or download.
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		userDataDir = Files.createTempDirectory("sample-app-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1000", "--user-data-dir=" + userDataDir);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (driver != null) {
			driver.quit();
		}
		if (userDataDir != null) {
			try (Stream<Path> files = Files.walk(userDataDir)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	@BeforeEach
	void openPage() throws IOException {
		startBrowser();
		this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
		driver.get("http://localhost:" + this.port + "/");
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("login")));
	}

	@Test
	void bothPhoneButtonsShowTheSandboxUsersNumber() {
		click("login");
		this.wait.until((d) -> !text("token").isEmpty());
		ApiClient.recordIssuedToken(text("token"));
		String expected = text("user-phone");
		assertThat(expected).matches("1\\d{10}");

		click("phone-code");
		this.wait.until(ExpectedConditions.attributeToBe(By.id("phone-number"), "data-source", "code"));
		assertThat(text("phone-number")).isEqualTo(expected);

		click("phone-encrypted");
		this.wait.until(ExpectedConditions.attributeToBe(By.id("phone-number"), "data-source", "encryptedData"));
		assertThat(text("phone-number")).isEqualTo(expected);

		String log = text("log");
		assertThat(log).contains("POST /api/login", "POST /api/phone", "Authorization: Bearer " + text("token"),
				"\"expiresIn\"", "encryptedData", "/login-code", "/phone-code", "/encrypted-phone");
		assertThat(driver.findElements(By.cssSelector("#log li"))).hasSizeGreaterThanOrEqualTo(7);
		assertThat(driver.getPageSource()).doesNotContainIgnoringCase("session_key");
		saveScreenshot("simulator.png");

		// Logging out revokes the token: the phone number is refused until the next
		// wx.login.
		click("logout");
		assertThat(text("status")).startsWith("Logged out");
		assertThat(text("token")).isEmpty();
		click("phone-code");
		assertThat(text("status")).startsWith("HTTP 401 unauthorized");
		assertThat(text("log")).contains("POST /api/logout", "HTTP 204");
	}

	@Test
	void aRotatedSessionKeyAsksForLoginAgain() {
		click("login");
		this.wait.until((d) -> !text("token").isEmpty());
		String expected = text("user-phone");

		click("rotate");
		click("phone-encrypted");
		this.wait.until((d) -> text("status").contains("invalid_data"));
		assertThat(text("phone-number")).isEmpty();

		click("login");
		this.wait.until((d) -> text("status").startsWith("Logged in"));
		click("phone-encrypted");
		this.wait.until(ExpectedConditions.attributeToBe(By.id("phone-number"), "data-source", "encryptedData"));
		assertThat(text("phone-number")).isEqualTo(expected);
	}

	@Test
	void theSecondMiniProgramCanBePicked() {
		this.wait.until((d) -> new Select(d.findElement(By.id("app"))).getOptions().size() == 2);
		new Select(driver.findElement(By.id("app")))
			.selectByValue(io.github.wechatminiapp.sample.sandbox.SandboxEnvironmentPostProcessor.SECOND_APP_ID);
		this.wait.until((d) -> text("status").startsWith("New sandbox user"));
		click("login");
		this.wait.until((d) -> !text("token").isEmpty());
		String expected = text("user-phone");
		click("phone-code");
		this.wait.until(ExpectedConditions.attributeToBe(By.id("phone-number"), "data-source", "code"));
		assertThat(text("phone-number")).isEqualTo(expected);
		assertThat(text("log")).contains("X-WeChat-App-Id",
				io.github.wechatminiapp.sample.sandbox.SandboxEnvironmentPostProcessor.SECOND_APP_ID);
	}

	@Test
	void weRunAndShareInfoShowWhatTheServerVerified() {
		click("login");
		this.wait.until((d) -> !text("token").isEmpty());

		click("werun");
		this.wait.until(ExpectedConditions.attributeToBe(By.id("open-data"), "data-kind", "werun"));
		assertThat(text("open-data")).matches("WeRun: 31 days, \\d+ steps, today \\d+");

		click("share-info");
		this.wait.until(ExpectedConditions.attributeToBe(By.id("open-data"), "data-kind", "share"));
		assertThat(text("open-data")).matches("Group openGId: tG[A-Za-z0-9_-]{26}");
		assertThat(text("log")).contains("POST /api/werun", "POST /api/share-info", "/encrypted-werun",
				"/encrypted-share-info");
	}

	private void click(String id) {
		// One action at a time, as a user would: wait for the previous one to finish.
		this.wait.until((d) -> d.findElement(By.id("status")).getAttribute("data-busy") == null);
		WebElement button = this.wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
		button.click();
		this.wait.until((d) -> d.findElement(By.id("status")).getAttribute("data-busy") == null);
	}

	/** For a look at the page after a run: target/simulator.png. */
	private static void saveScreenshot(String name) {
		if (driver instanceof TakesScreenshot camera) {
			try {
				Files.write(Path.of("target", name), camera.getScreenshotAs(OutputType.BYTES));
			}
			catch (IOException ex) {
				// only a convenience
			}
		}
	}

	private static String text(String id) {
		return driver.findElement(By.id(id)).getText();
	}

}
