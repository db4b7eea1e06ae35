package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunViewTest {

    private static final JsonNode FAILED_RUN = Json.tree("""
            {"runId": "r7", "name": "titanic", "status": "FAILED",
             "stages": [
               {"stage": "ingest", "status": "COMPLETED", "attempt": 1,
                "startedAt": "2025-01-01T10:00:00Z", "finishedAt": "2025-01-01T10:00:01.500Z"},
               {"stage": "preprocess", "status": "COMPLETED", "attempt": 2, "durationMs": 2300},
               {"stage": "train", "status": "FAILED", "attempt": 1, "durationMs": 65000,
                "error": "max_depth must be positive, got -1"},
               {"stage": "evaluate", "status": "PENDING", "attempt": 0}],
             "params": {}, "metrics": {"rows": 887, "cv_accuracy": 0.81234567},
             "tags": {}, "artifacts": {"raw/data.csv": "s3://mlops-artifacts/runs/r7/raw/data.csv"}}
            """);

    @Test
    void theStatusReportShowsEveryStageWithItsAttemptDurationAndError() {
        assertThat(RunView.report(FAILED_RUN, Instant.parse("2025-01-01T10:05:00Z"))).isEqualTo("""
                run r7 (titanic): FAILED
                  STAGE       STATUS     ATTEMPT  DURATION  DETAIL
                  ingest      COMPLETED  1        1.5 s
                  preprocess  COMPLETED  2        2.3 s
                  train       FAILED     1        1m 05s    max_depth must be positive, got -1
                  evaluate    PENDING    -        -
                metrics:
                  cv_accuracy  0.8123
                  rows         887
                artifacts:
                  raw/data.csv  s3://mlops-artifacts/runs/r7/raw/data.csv
                """);
    }

    @Test
    void aRunningStageShowsHowLongItHasRunAndItsProgress() {
        JsonNode run = Json.tree("""
                {"runId": "r8", "name": "titanic", "status": "RUNNING", "stages": [
                  {"stage": "train", "status": "RUNNING", "attempt": 1, "startedAt": "2025-01-01T10:00:00+00:00",
                   "progress": {"done": 42, "total": 108}}]}
                """);
        assertThat(RunView.report(run, Instant.parse("2025-01-01T10:00:42Z")))
                .contains("  train  RUNNING  1        42 s      42/108 candidates");
    }

    @Test
    void aFailedRunNamesTheFailingStageAndItsError() {
        assertThat(RunView.failure(FAILED_RUN))
                .isEqualTo("run r7 FAILED at stage train (attempt 1): max_depth must be positive, got -1");
    }

    @Test
    void theServingUrlIsShownOnlyWhenTheRunHasOne() {
        JsonNode deployed = Json.tree("""
                {"runId": "r9", "status": "SUCCEEDED", "stages": [], "metrics": {"accuracy": 0.8},
                 "artifacts": {}, "servingUrl": "http://127.0.0.1:8090/invocations"}
                """);
        assertThat(RunView.results(deployed)).isEqualTo("""
                metrics:
                  accuracy  0.8000
                serving URL: http://127.0.0.1:8090/invocations
                """);
        assertThat(RunView.results(FAILED_RUN)).doesNotContain("serving URL");
    }

    @Test
    void aRunThatKeptProductionSaysSoFirst() {
        JsonNode kept = Json.tree("""
                {"runId": "r9", "status": "SUCCEEDED", "stages": [], "metrics": {"accuracy": 0.79},
                 "release": {"decision": "kept", "productionVersion": 1,
                             "message": "kept production version 1 (accuracy 0.7900 vs 0.8200, needed > 0.8200 + 0.0000)"}}
                """);
        assertThat(RunView.results(kept)).isEqualTo("""
                kept production version 1 (accuracy 0.7900 vs 0.8200, needed > 0.8200 + 0.0000): this run's model was\
                 not built or deployed
                metrics:
                  accuracy  0.7900
                """);
        JsonNode released = Json.tree("""
                {"runId": "r9", "status": "SUCCEEDED", "stages": [],
                 "release": {"decision": "promoted", "message": "released: model m has no production version yet"}}
                """);
        assertThat(RunView.results(released)).isEqualTo("released: model m has no production version yet\n");
    }

    @Test
    void theImageIsShownWithHowToRunIt() {
        JsonNode pushed = Json.tree("""
                {"runId": "r9", "status": "SUCCEEDED", "stages": [],
                 "params": {"image_ref": "127.0.0.1:5000/mlops/titanic-rf:r9", "image_pushed": "true"}}
                """);
        assertThat(RunView.results(pushed)).isEqualTo("""
                image: 127.0.0.1:5000/mlops/titanic-rf:r9
                  run it: podman run --rm -p 127.0.0.1:8091:8090 --tls-verify=false 127.0.0.1:5000/mlops/titanic-rf:r9
                """);
        JsonNode tarball = Json.tree("""
                {"runId": "r9", "status": "SUCCEEDED", "stages": [],
                 "params": {"image_ref": "mlops/titanic-rf:r9", "image_pushed": "false"}}
                """);
        assertThat(RunView.results(tarball)).contains("podman load -i <the run's image/image.tar artifact>")
                .contains("podman run --rm -p 127.0.0.1:8091:8090 mlops/titanic-rf:r9");
    }
}
