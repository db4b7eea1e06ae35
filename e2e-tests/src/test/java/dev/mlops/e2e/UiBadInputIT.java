package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the web UI does with input it must refuse: a bad spec, a run that does not exist, a forged request. */
@ExtendWith(LocalPlatform.class)
class UiBadInputIT {

    @RegisterExtension
    final UiBrowser browser = new UiBrowser();

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void aSpecWithMaxDepthZeroShowsTheServersMessageAtTheFieldAndStartsNoRun() throws Exception {
        long runsBefore = runCount();
        browser.signIn();
        browser.open("runs/new");
        WebElement editor = browser.specEditor();
        JsonNode prefilled = json.readTree(editor.getDomProperty("value"));
        assertThat(prefilled.path("dataset").path("uri").asText()).as("the prefilled defaults").isNotBlank();

        ((ObjectNode) prefilled.path("model").path("grid")).putArray("max_depth").add(0);
        editor.clear();
        editor.sendKeys(json.writeValueAsString(prefilled));
        browser.driver().findElement(By.cssSelector("button[data-testid=submit-run]")).click();

        WebElement error = browser.visible("[data-testid=field-error][data-field='model.grid.max_depth']");
        assertThat(error.getText()).contains("model.grid.max_depth values must be between 1 and").contains("got 0");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/runs/new");
        assertThat(runCount()).as("runs after the refused spec").isEqualTo(runsBefore);
    }

    @Test
    void aRunThatDoesNotExistShowsTheNotFoundPage() {
        browser.signIn();
        String missing = UUID.randomUUID().toString();
        browser.open("runs/" + missing);

        browser.visible("[data-testid=not-found]");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid=run-status]"))).isEmpty();

        browser.open("no-such-page");
        browser.visible("[data-testid=not-found]");
    }

    @Test
    void aStateChangingRequestWithoutTheCsrfTokenIsRefusedThoughTheSessionCookieGoesAlong() throws Exception {
        browser.signIn();
        String invalidSpec = "{\"model\": {\"cv\": 1}}";
        Map<String, String> jsonBody = Map.of("Content-Type", "application/json");

        Map<String, Object> withoutToken = browser.fetch("POST", "/pipelines", jsonBody, invalidSpec);
        assertThat(withoutToken).as("POST /pipelines without X-CSRF-Token").containsEntry("status", 403L);
        assertThat(withoutToken.get("body")).asString().contains("PERMISSION_DENIED");

        Map<String, Object> wrongToken = browser.fetch("POST", "/pipelines",
                Map.of("Content-Type", "application/json", "X-CSRF-Token", "forged"), invalidSpec);
        assertThat(wrongToken).as("POST /pipelines with a forged X-CSRF-Token").containsEntry("status", 403L);

        // the same request with the session's CSRF token gets through to the spec's validation
        String csrf = json.readTree(browser.fetch("GET", "/ui/session", Map.of(), null).get("body").toString())
                .path("csrfToken").asText();
        Map<String, Object> withToken = browser.fetch("POST", "/pipelines",
                Map.of("Content-Type", "application/json", "X-CSRF-Token", csrf), invalidSpec);
        assertThat(withToken).as("POST /pipelines with the session's X-CSRF-Token").containsEntry("status", 400L);
        assertThat(withToken.get("body")).asString().contains("model.cv");
    }

    private long runCount() {
        return platform.tracking().get("/pipelines?page=0&size=1").path("total").asLong();
    }
}
