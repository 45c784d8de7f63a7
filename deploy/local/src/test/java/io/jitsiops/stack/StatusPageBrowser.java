package io.jitsiops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.jitsiops.testkit.server.DebianPackages;

/**
 * The status page in a real browser: Debian's Chromium, headless, driven through Debian's chromedriver (both
 * installed by the test kit when missing; Selenium's own driver download is never used, there is no network for it).
 * Screenshots go beside the surefire reports and are announced in the JUnit attachment convention.
 */
final class StatusPageBrowser implements AutoCloseable {
    static final Dimension LAPTOP = new Dimension(1280, 2000);
    static final Dimension PHONE = new Dimension(390, 2400);
    private final ChromeDriver driver;

    StatusPageBrowser() {
        DebianPackages.require("chromium", "/usr/bin/chromium");
        DebianPackages.require("chromium-driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // --no-sandbox: Chromium refuses to run as root with its sandbox, and the suite runs as root.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
    }

    void open(String url) {
        driver.get(url);
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Waits until the element's text contains the wanted text (panels load asynchronously), then answers it. */
    String waitForText(String cssSelector, String wanted, Duration within) {
        new WebDriverWait(driver, within).until(d -> text(d, cssSelector).contains(wanted));
        return text(driver, cssSelector);
    }

    /** Waits until the element's text no longer contains the placeholder, then answers it. */
    String waitUntilLoaded(String cssSelector, Duration within) {
        new WebDriverWait(driver, within).until(d -> {
            String t = text(d, cssSelector);
            return !t.isBlank() && !t.contains("Loading");
        });
        return text(driver, cssSelector);
    }

    /**
     * Signs in through the issuer's login page as the page does it (authorization code + PKCE): "Sign in", Janssen's
     * login form (ids with a colon, as jans-auth's login.xhtml names them), back on the page signed in.
     */
    String signIn(String user, String password, Duration within) {
        WebDriverWait wait = new WebDriverWait(driver, within);
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        driver.findElement(By.id("sign-in")).click();
        wait.until(d -> !d.findElements(By.id("loginForm:username")).isEmpty());
        driver.findElement(By.id("loginForm:username")).sendKeys(user);
        driver.findElement(By.id("loginForm:password")).sendKeys(password);
        driver.findElement(By.id("loginForm:loginButton")).click();
        return waitForText("#session-status", "Signed in as " + user, within);
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** The first element matching the selector whose text contains {@code wanted}, once there. */
    WebElement waitForElement(String cssSelector, String wanted, Duration within) {
        return new WebDriverWait(driver, within).until(d -> d.findElements(By.cssSelector(cssSelector)).stream()
                .filter(e -> e.getText().contains(wanted)).findFirst().orElse(null));
    }

    /**
     * Clicks the button inside the first item (of the selector) whose text contains {@code wanted}, once both are there
     * (panels re-render when they reload: a stale item is looked up again); answers the item.
     */
    WebElement clickIn(String itemSelector, String wanted, String buttonSelector, Duration within) {
        return new WebDriverWait(driver, within).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    WebElement item = d.findElements(By.cssSelector(itemSelector)).stream()
                            .filter(e -> e.getText().contains(wanted)).findFirst().orElse(null);
                    if (item == null || item.findElements(By.cssSelector(buttonSelector)).isEmpty()) {
                        return null;
                    }
                    item.findElement(By.cssSelector(buttonSelector)).click();
                    return item;
                });
    }

    WebElement focusedAfterTab() {
        driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        return driver.switchTo().activeElement();
    }

    Path screenshot(String name) throws Exception {
        Path dir = Path.of("target", "surefire-reports", "status-page").toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        System.out.println("[[ATTACHMENT|" + file + "]]");
        return file;
    }

    private static String text(WebDriver d, String cssSelector) {
        return d.findElements(By.cssSelector(cssSelector)).stream().map(WebElement::getText).findFirst().orElse("");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
