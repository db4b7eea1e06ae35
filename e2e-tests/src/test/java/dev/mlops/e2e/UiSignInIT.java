package dev.mlops.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing in to the web UI with the platform's token, and out again, in a real Chromium. */
@ExtendWith(LocalPlatform.class)
class UiSignInIT {

    @RegisterExtension
    final UiBrowser browser = new UiBrowser();

    @Test
    void thePlatformTokenSignsInToTheRunsPageWithAnHttpOnlySessionAndSigningOutEndsIt() {
        String token = LocalPlatform.platform().env().get("MLOPS_API_TOKEN");
        browser.signIn();

        browser.visible("a[data-nav=runs]");
        browser.await(ExpectedConditions.or(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table[data-testid=runs-table]")),
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=runs-empty]"))));
        Cookie session = browser.driver().manage().getCookieNamed("mlops_session");
        assertThat(session).as("the session cookie").isNotNull();
        assertThat(session.isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(token);
        assertThat(browser.driver().getPageSource()).doesNotContain(token);
        assertThat(browser.script("return document.cookie")).as("cookies a script can read").asString()
                .doesNotContain("mlops_session");
        assertThat(browser.fetch("GET", "/ui/session", Map.of(), null)).containsEntry("status", 200L);

        // a script injected into the page (what an XSS would do) does not run: script-src 'self' holds
        browser.script("const injected = document.createElement('script');"
                + " injected.textContent = 'window.injectedRan = true'; document.body.append(injected);");
        List<String> blocked = browser.await(d -> browser.cspViolations().isEmpty() ? null : browser.cspViolations());
        assertThat(blocked).singleElement().asString().startsWith("script-src");
        assertThat(browser.script("return window.injectedRan === true")).isEqualTo(false);
        browser.script("window.cspViolations.length = 0");

        browser.driver().findElement(By.cssSelector("button[data-testid=signout]")).click();

        browser.visible("form[data-testid=signin]");
        assertThat(browser.fetch("GET", "/ui/session", Map.of(), null)).as("the session after signing out")
                .containsEntry("status", 401L);
        browser.open("runs");
        browser.visible("form[data-testid=signin]");
    }

    @Test
    void aWrongTokenIsRefusedOnTheSignInPage() {
        browser.submitToken("not-the-platform-token");

        assertThat(browser.visible("[data-testid=signin-error]").getText()).isNotBlank();
        assertThat(browser.driver().findElement(By.cssSelector("form[data-testid=signin]")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElements(By.cssSelector("button[data-testid=signout]")))
                .as("signed-in navigation").allSatisfy(signout -> assertThat(signout.isDisplayed()).isFalse());
        assertThat(browser.driver().manage().getCookieNamed("mlops_session")).as("a session cookie").isNull();
        assertThat(browser.fetch("GET", "/ui/session", Map.of(), null)).containsEntry("status", 401L);
    }
}
