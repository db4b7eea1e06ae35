package dev.mlops.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI while tracking-svc is down: the open page says so instead of going blank or signing the user out, and
 * once {@code ./mlops up} has brought tracking-svc back the same page carries on with the same session.
 */
@ExtendWith(LocalPlatform.class)
class UiOfflineIT {

    /** The page refreshes what it shows at least every 10 s; a little more for a loaded machine. */
    static final Duration REFRESH = Duration.ofSeconds(30);

    @RegisterExtension
    final UiBrowser browser = new UiBrowser();

    final LocalPlatform.Platform platform = LocalPlatform.platform();

    @Test
    void theOpenPageShowsTheOfflineBannerWhileTrackingSvcIsDownAndCarriesOnWhenItIsBack() {
        browser.signIn();
        browser.driver().findElement(By.cssSelector("a[data-nav=models]")).click();
        browser.await(modelsShown());
        assertThat(browser.driver().findElement(By.cssSelector("[data-testid=offline-banner]")).isDisplayed())
                .as("the offline banner while tracking-svc answers").isFalse();

        platform.kill("tracking-svc");
        try {
            browser.await(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=offline-banner]")), REFRESH);
            browser.screenshot("offline-banner");
            assertThat(browser.driver().getCurrentUrl()).as("still where the user was").endsWith("#/models");
        } finally {
            assertThat(platform.up()).contains("tracking-svc ready at");
        }

        browser.await(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("[data-testid=offline-banner]")), REFRESH);
        assertThat(browser.driver().getCurrentUrl()).as("signed in still: the session outlives the restart")
                .endsWith("#/models");
        assertThat(browser.visible("button[data-testid=signout]").isDisplayed()).isTrue();
        browser.await(modelsShown(), REFRESH);
    }

    /** The Models page's content: the registered models, or the empty state when there are none yet. */
    private static ExpectedCondition<Boolean> modelsShown() {
        return ExpectedConditions.or(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("section[data-model]")),
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=models-empty]")));
    }
}
