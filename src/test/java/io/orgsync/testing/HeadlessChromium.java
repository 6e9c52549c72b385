package io.orgsync.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven headless through its chromedriver (Selenium Manager downloads
 * nothing), with a throw-away profile. Without them the test is skipped loudly, unless
 * ORGSYNC_TEST_REQUIRE_BROWSER=true (as in CI), where it fails.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Duration POLL = Duration.ofMillis(100);

    public final WebDriver driver;
    private final Path profile;

    private HeadlessChromium(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static void require() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("ORGSYNC_TEST_REQUIRE_BROWSER"))) {
            throw new IllegalStateException(message + " and ORGSYNC_TEST_REQUIRE_BROWSER=true");
        }
        System.err.println("\n!!!!! SKIPPING a browser test: " + message + ". !!!!!\n");
        Assumptions.abort(message);
    }

    public static HeadlessChromium start(int width, int height) throws IOException {
        require();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("orgsync-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        return new HeadlessChromium(new ChromeDriver(options), profile);
    }

    /**
     * Polls {@code condition} every 100 ms (Selenium's default is every 500 ms: most of a wait for
     * something a click brings at once) until it gives a result, or fails with {@code what}.
     */
    public <T> T waitFor(String what, Duration limit, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, limit, POLL)
                .withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    public <T> T waitFor(String what, ExpectedCondition<T> condition) {
        return waitFor(what, Duration.ofSeconds(20), condition);
    }

    /** Clicks once the element is displayed and enabled. */
    public void click(By by) {
        waitFor("clickable " + by, d -> {
            WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return null;
            }
            e.click();
            return true;
        });
    }

    public void type(By by, String text) {
        WebElement e = driver.findElement(by);
        e.clear();
        e.sendKeys(text);
    }

    /** The whole page, as tall as it is (up to 4,000 pixels), scrolled to the top. */
    public byte[] pageScreenshot(int width) {
        return pageScreenshot(width, 900, 4000);
    }

    /** The whole page in a window {@code width} wide and from {@code minHeight} to {@code maxHeight} tall. */
    public byte[] pageScreenshot(int width, int minHeight, int maxHeight) {
        Object height = ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        int h = Math.min(maxHeight, ((Number) height).intValue() + 40);
        driver.manage().window().setSize(new Dimension(width, Math.max(minHeight, h)));
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    /**
     * Writes a picture to target/{name}; with -Dorgsync.update.screenshot=true also to docs/{name}
     * (not on every run: a test should not rewrite tracked files).
     */
    public static void keep(String name, byte[] png) throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), png);
        if (Boolean.getBoolean("orgsync.update.screenshot")) {
            Files.write(Path.of("docs", name), png);
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
