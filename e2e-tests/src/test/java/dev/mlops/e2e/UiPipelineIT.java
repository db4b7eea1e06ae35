package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's pipeline runs in the web UI, in a real Chromium on the live platform: started from the New-run form and
 * followed live, its grid search, confusion matrix and "try it" box, a failed run retried from its failed stage, two
 * runs compared, and the {@code production} alias moved. Two runs serve every test (a pipeline run takes tens of
 * seconds): the one the form starts (deployed) and the retried one; a test run on its own starts the run it needs
 * through the API.
 */
@ExtendWith(LocalPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiPipelineIT {

    static final List<String> ALL_STAGES = List.of("ingest", "preprocess", "train", "evaluate", "image", "deploy");
    /** Two grid candidates (two points on the grid chart), deployed to a local model-server: every stage runs. */
    static final String DEPLOYED_SPEC = "{\"model\": {\"grid\": {\"n_estimators\": [50], \"max_depth\": [5, 10],"
            + " \"min_samples_split\": [2], \"min_samples_leaf\": [1]}}, \"deploy\": {\"target\": \"local\"}}";
    /** titanic.csv's 887 rows split 80/20 (PipelineIT checks the split itself). */
    static final int TEST_SPLIT_ROWS = 178;
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    /** A run's page, not the New-run form's {@code #/runs/new}. */
    static final Pattern RUN_ROUTE = Pattern.compile("#/runs/(?!new$)([^/?]+)$");

    /** The run the New-run form started, and the run that failed at ingest and succeeded on retry. */
    static String deployedRun;
    static String retriedRun;

    @RegisterExtension
    final UiBrowser browser = new UiBrowser();

    final LocalPlatform.Platform platform = LocalPlatform.platform();

    @Test
    @Order(1)
    void aRunStartedFromTheFormTurnsEveryStageCompletedWithoutReloadingThePage() {
        browser.signIn();
        browser.driver().findElement(By.cssSelector("a[data-testid=new-run]")).click();
        WebElement editor = browser.specEditor();
        // a full page load would drop this marker
        browser.script("window.uiTestMarker = 'same page'");

        editor.clear();
        editor.sendKeys(DEPLOYED_SPEC);
        browser.driver().findElement(By.cssSelector("button[data-testid=submit-run]")).click();

        String runId = browser.await(d -> {
            Matcher route = RUN_ROUTE.matcher(d.getCurrentUrl());
            return route.find() ? route.group(1) : null;
        });
        deployedRun = runId;
        assertThat(browser.visible("[data-testid=run-status]").getText()).as("the new run's status")
                .isEqualTo("RUNNING");
        // what the stage graph showed, one entry per change, as the page updated itself
        List<Map<String, String>> shown = new ArrayList<>();
        browser.await(d -> {
            Map<String, String> now = stageStatuses();
            if (shown.isEmpty() || !shown.get(shown.size() - 1).equals(now)) {
                shown.add(now);
            }
            return now.equals(statuses(ALL_STAGES, "COMPLETED"));
        }, RUN_TIMEOUT, () -> "every stage COMPLETED; the page showed " + shown);
        browser.await(ExpectedConditions.textToBe(By.cssSelector("[data-testid=run-status]"), "SUCCEEDED"));

        assertThat(browser.script("return window.uiTestMarker")).as("the marker set before submitting")
                .isEqualTo("same page");
        assertThat(shown).as("the stage graph on its way").anySatisfy(statuses -> assertThat(statuses)
                .containsEntry("ingest", "COMPLETED").doesNotContainEntry("deploy", "COMPLETED"));
        assertThat(platform.tracking().run(runId).path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(2)
    void theRunPageShowsTheGridSearchChartTheConfusionMatrixOfTheTestSplitAndAnswersTryIt() throws Exception {
        String runId = deployedRun();
        browser.signIn();
        browser.open("runs/" + runId);

        // the chart is drawn (uPlot's canvas has a size), and the best of the two candidates is named under it
        browser.await(d -> d.findElement(By.cssSelector("[data-testid=grid-chart] canvas")).getSize().getWidth() > 0);
        double bestScore = platform.tracking().run(runId).path("metrics").path("best_cv_score").asDouble();
        assertThat(browser.visible("[data-testid=grid-best]").getText()).as("the best candidate")
                .contains(String.format(Locale.ROOT, "%.4f", bestScore))
                .containsPattern("\\(2(/2)? candidates scored\\)");

        WebElement matrix = browser.visible("table[data-testid=confusion-matrix]");
        List<Integer> counts = matrix.findElements(By.cssSelector("td[data-count]")).stream()
                .map(WebElement::getText).map(String::trim).map(Integer::valueOf).toList();
        assertThat(counts).as("the confusion matrix's cells").hasSize(4);
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).as("rows of the test split")
                .isEqualTo(TEST_SPLIT_ROWS);
        assertThat(browser.visible("table[data-testid=classification-report]").getText()).contains("precision");
        assertThat(browser.visible("[data-testid=serving-url]").getText()).startsWith("http");

        // "try it": the prefilled passenger goes to the deployed model, its prediction comes back
        browser.driver().findElement(By.cssSelector("button[data-testid=try-send]")).click();
        JsonNode answer = new ObjectMapper().readTree(browser.visible("[data-testid=try-prediction]").getText());
        assertThat(answer.path("predictions")).as("the model's answer: %s", answer).hasSize(1);
        assertThat(answer.path("predictions").get(0).asText()).isIn("0", "1");
        browser.screenshot("run-page", 1_540);
    }

    @Test
    @Order(3)
    void aRunThatFailedAtIngestRetriedFromIngestOnceTheDatasetIsThereShowsAttempt2AndSucceeds() throws Exception {
        Path dataset = LocalPlatform.HOME.resolve("data/ui-e2e-retry-" + System.nanoTime() + ".csv");
        String runId = platform.tracking().startPipeline("{\"dataset\": {\"uri\": \"file:" + dataset + "\"},"
                + " \"model\": {\"grid\": {\"n_estimators\": [20], \"max_depth\": [5], \"min_samples_split\": [2],"
                + " \"min_samples_leaf\": [1]}}, \"deploy\": {\"target\": \"none\"}}");
        retriedRun = runId;
        assertThat(platform.awaitEnd(runId, RUN_TIMEOUT).path("status").asText()).isEqualTo("FAILED");

        browser.signIn();
        browser.open("runs/" + runId);
        assertThat(browser.visible("[data-testid=run-status]").getText()).isEqualTo("FAILED");
        assertThat(browser.visible("[data-testid=run-error]").getText()).contains("does not exist");
        WebElement ingest = browser.visible("[data-stage=ingest]");
        assertThat(ingest.getDomAttribute("data-status")).isEqualTo("FAILED");
        assertThat(ingest.findElement(By.cssSelector("[data-testid=stage-error]")).getText())
                .contains(dataset.toString());

        Files.copy(LocalPlatform.HOME.resolve("data/titanic.csv"), dataset);
        try {
            browser.driver().findElement(By.cssSelector("button[data-retry=ingest]")).click();
            browser.await(d -> stageStatuses().equals(statuses(ALL_STAGES.subList(0, 4), "COMPLETED")), RUN_TIMEOUT,
                    () -> "every stage COMPLETED after the retry; the page shows " + stageStatuses());
        } finally {
            Files.deleteIfExists(dataset);
        }
        browser.await(ExpectedConditions.textToBe(By.cssSelector("[data-testid=run-status]"), "SUCCEEDED"));
        assertThat(browser.visible("[data-stage=ingest] [data-testid=stage-attempt]").getText()).contains("attempt 2");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid=run-error]"))).as("the run's error")
                .allSatisfy(error -> assertThat(error.isDisplayed()).isFalse());
    }

    @Test
    @Order(4)
    void twoRunsComparedFromTheRunsListHighlightTheParamThatDiffers() {
        String first = deployedRun();
        String second = retriedRun();
        browser.signIn();
        browser.open("runs");
        browser.visible("tr[data-run-id='" + first + "']");
        browser.driver().findElement(By.cssSelector("input[data-compare='" + first + "']")).click();
        browser.driver().findElement(By.cssSelector("input[data-compare='" + second + "']")).click();
        browser.screenshot("runs-list", 600);
        browser.driver().findElement(By.cssSelector("button[data-testid=compare-selected]")).click();

        browser.visible("table[data-testid=compare-table]");
        assertThat(browser.driver().getCurrentUrl()).contains(first).contains(second);
        WebElement trees = browser.visible("tr[data-key='params.n_estimators']");
        assertThat(trees.getText()).contains("50").contains("20");
        assertThat(trees.getDomProperty("className")).as("n_estimators 50 against 20").contains("differs");
        assertThat(browser.visible("tr[data-key='params.min_samples_split']").getDomProperty("className"))
                .as("min_samples_split 2 in both").doesNotContain("differs");
        browser.visible("[data-testid=compare-chart]");

        browser.driver().findElement(By.cssSelector("input[data-testid=only-differences]")).click();
        browser.await(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("tr[data-key='params.min_samples_split']")));
        browser.visible("tr[data-key='params.n_estimators']");
        browser.screenshot("compare", 1_250);
    }

    @Test
    @Order(5)
    void theRunsListFiltersByParamAndStatusAndShowsTheServersMessageForAFilterItCannotRead() {
        String deployed = deployedRun();
        String retried = retriedRun();
        browser.signIn();
        browser.visible("tr[data-run-id='" + deployed + "']");

        WebElement filter = browser.visible("input[data-testid=runs-filter]");
        filter.sendKeys("params.n_estimators = '20'", Keys.ENTER);
        browser.await(ExpectedConditions.invisibilityOfElementLocated(row(deployed)));
        browser.visible("tr[data-run-id='" + retried + "']");

        new Select(browser.visible("select[data-testid=status-filter]")).selectByValue("FAILED");
        browser.await(ExpectedConditions.invisibilityOfElementLocated(row(retried)));

        filter = browser.visible("input[data-testid=runs-filter]");
        filter.clear();
        filter.sendKeys("metrics.accuracy >> 0.8", Keys.ENTER);
        assertThat(browser.visible("[data-testid=filter-error]").getText()).as("the refused filter's message")
                .contains("invalid filter").contains("> 0.8");
    }

    @Test
    @Order(6)
    void movingTheProductionAliasInTheModelsPageShowsItOnTheChosenVersion() {
        JsonNode deployed = platform.tracking().run(deployedRun());
        JsonNode retried = platform.tracking().run(retriedRun());
        String model = deployed.path("spec").path("model").path("name").asText();
        String deployedVersion = deployed.path("params").path("model_version").asText();
        String retriedVersion = retried.path("params").path("model_version").asText();
        browser.signIn();
        browser.driver().findElement(By.cssSelector("a[data-nav=models]")).click();

        WebElement section = browser.visible("section[data-model='" + model + "']");
        assertThat(aliases(model, deployedVersion)).as("the deployed run's version").contains("production");
        new Select(section.findElement(By.cssSelector("select[data-testid=alias-version]")))
                .selectByValue(retriedVersion);
        WebElement alias = section.findElement(By.cssSelector("input[data-testid=alias-name]"));
        alias.clear();
        alias.sendKeys("production");
        section.findElement(By.cssSelector("button[data-testid=alias-set]")).click();

        browser.await(d -> aliases(model, retriedVersion).contains("production"), UiBrowser.PAGE_WAIT,
                () -> "production on version " + retriedVersion + "; the page shows "
                        + browser.visible("section[data-model='" + model + "']").getText());
        assertThat(aliases(model, deployedVersion)).doesNotContain("production");
        JsonNode production = platform.tracking().get("/models/" + model + "/aliases/production");
        assertThat(production.path("version").asText()).isEqualTo(retriedVersion);
    }

    private static By row(String runId) {
        return By.cssSelector("tr[data-run-id='" + runId + "']");
    }

    /** The aliases the Models page shows on a version (looked up afresh: the page re-renders as it refreshes). */
    private String aliases(String model, String version) {
        return browser.driver().findElement(By.cssSelector("section[data-model='" + model + "'] tr[data-version='"
                + version + "'] [data-testid=aliases]")).getText();
    }

    /** Each stage node's {@code data-status}, by stage, in the page's order. */
    @SuppressWarnings("unchecked")
    private Map<String, String> stageStatuses() {
        return (Map<String, String>) browser.script("""
                const statuses = {};
                document.querySelectorAll('[data-stage][data-status]')
                    .forEach(node => statuses[node.dataset.stage] = node.dataset.status);
                return statuses;""");
    }

    private static Map<String, String> statuses(List<String> stages, String status) {
        return stages.stream().collect(Collectors.toMap(stage -> stage, stage -> status));
    }

    /**
     * The run the form test started, or (when that test did not run) the same run started through the API; required
     * to have SUCCEEDED. A run is started once per class: a later test does not wait for a second one.
     */
    private String deployedRun() {
        if (deployedRun == null) {
            deployedRun = platform.tracking().startPipeline(DEPLOYED_SPEC);
        }
        return succeeded(deployedRun);
    }

    /** The retried run, or (when the retry test did not run) a run differing from the deployed one in n_estimators. */
    private String retriedRun() {
        if (retriedRun == null) {
            retriedRun = platform.tracking().startPipeline("{\"model\": {\"grid\": {\"n_estimators\": [20],"
                    + " \"max_depth\": [5], \"min_samples_split\": [2], \"min_samples_leaf\": [1]}},"
                    + " \"deploy\": {\"target\": \"none\"}}");
        }
        return succeeded(retriedRun);
    }

    private String succeeded(String runId) {
        JsonNode run = platform.awaitEnd(runId, RUN_TIMEOUT);
        assertThat(run.path("status").asText()).as("run %s: %s", runId, run.path("error")).isEqualTo("SUCCEEDED");
        return runId;
    }
}
