package dev.mlops.e2e;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Chromium (Debian's {@code /usr/bin/chromium}, headless, through Debian's {@code /usr/bin/chromedriver}:
 * Selenium Manager is skipped because the driver's path is given, so nothing is downloaded) on the web UI of the
 * platform {@link LocalPlatform} started. One browser per test; after each test, passed or failed, the page is saved to
 * {@code target/ui-screenshots/<test>.png}, nothing may have been blocked by the page's Content-Security-Policy, and
 * the browser quits.
 */
public class UiBrowser implements BeforeEachCallback, AfterEachCallback {

    static final Path SCREENSHOTS = Path.of("target/ui-screenshots");
    static final Duration PAGE_WAIT = Duration.ofSeconds(15);
    static final int WIDTH = 1400;
    static final int HEIGHT = 1000;

    /** Runs before the page's own scripts: a blocked script, style or connection is recorded, not only logged. */
    static final String RECORD_CSP_VIOLATIONS = """
            window.cspViolations = [];
            document.addEventListener('securitypolicyviolation',
                e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));""";

    private WebDriver driver;
    private String baseUrl;

    @Override
    public void beforeEach(ExtensionContext context) {
        LocalPlatform.Platform platform = LocalPlatform.platform();
        baseUrl = "http://127.0.0.1:" + platform.env().get("MLOPS_TRACKING_PORT");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // --no-sandbox: CI runs the tests as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        driver = chrome;
        chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_CSP_VIOLATIONS));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (driver == null) {
            return;
        }
        try {
            screenshot(context.getRequiredTestMethod().getName());
            assertThat(cspViolations()).as("what the Content-Security-Policy blocked on the pages of the test")
                    .isEmpty();
        } finally {
            driver.quit();
        }
    }

    /** What the page's Content-Security-Policy blocked since it loaded ("directive blocked-uri" each). */
    @SuppressWarnings("unchecked")
    public List<String> cspViolations() {
        return (List<String>) script("return window.cspViolations || []");
    }

    public WebDriver driver() {
        return driver;
    }

    /** Loads the application at a hash route, e.g. {@code runs/new}. */
    public void open(String route) {
        driver.get(baseUrl + "/#/" + route);
    }

    /** Signs in through the sign-in page with the platform's token and waits for the signed-in navigation. */
    public void signIn() {
        submitToken(LocalPlatform.platform().env().get("MLOPS_API_TOKEN"));
        await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[data-testid=signout]")));
    }

    /** Types {@code token} into the sign-in form and submits it. */
    public void submitToken(String token) {
        open("signin");
        WebElement form = visible("form[data-testid=signin]");
        form.findElement(By.name("token")).sendKeys(token);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** The New-run form's spec editor once the default spec has loaded into it. */
    public WebElement specEditor() {
        WebElement editor = visible("textarea[data-testid=spec-editor]");
        await(d -> editor.isEnabled() && editor.getDomProperty("value").startsWith("{"));
        return editor;
    }

    public WebElement visible(String css) {
        return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public <T> T await(ExpectedCondition<T> condition) {
        return await(condition, PAGE_WAIT);
    }

    public <T> T await(ExpectedCondition<T> condition, Duration timeout) {
        return await(condition, timeout, () -> "");
    }

    /** Waits for {@code condition}; on timeout the failure says {@code state()}: what the page showed last. */
    public <T> T await(ExpectedCondition<T> condition, Duration timeout, Supplier<String> state) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class).withMessage(state).until(condition);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * What the page's own {@code fetch} gets (same origin, the session cookie goes along): the status, and the body's
     * text.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fetch(String method, String path, Map<String, String> headers, String body) {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[1], {method: arguments[0], headers: arguments[2], body: arguments[3],
                                     credentials: 'same-origin'})
                  .then(r => r.text().then(text => done({status: r.status, body: text})))
                  .catch(e => done({status: -1, body: String(e)}));""", method, path, headers, body);
    }

    /** Saves the whole page, up to 4,000 px high, to {@code target/ui-screenshots/<name>.png}. */
    public Path screenshot(String name) {
        return screenshot(name, 4_000);
    }

    /**
     * Saves the top of the page, up to {@code maxHeight} px, to {@code target/ui-screenshots/<name>.png}: scrolled to
     * the top, the viewport made as tall as that for the shot (so that full-height parts such as the navigation stay
     * full height), then put back.
     */
    public Path screenshot(String name, int maxHeight) {
        ChromeDriver chrome = (ChromeDriver) driver;
        script("window.scrollTo(0, 0)");
        int height = Math.min(((Number) script("return document.documentElement.scrollHeight")).intValue(), maxHeight);
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH,
                "height", Math.max(height, 600), "deviceScaleFactor", 1, "mobile", false));
        byte[] png;
        try {
            png = chrome.getScreenshotAs(OutputType.BYTES);
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
