package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The follower against a scripted run: what tracking-svc answers from which second on, on a scripted clock. */
class RunFollowerTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ScriptedClock clock = new ScriptedClock();
    private final List<String> stallAdviceAskedFor = new ArrayList<>();

    @Test
    void printsEachStageTransitionOnceAndTrainingProgressEveryTenSeconds() {
        Script script = new Script()
                .at(0, run("RUNNING", stage("ingest", "RUNNING", 1, null), stage("preprocess", "PENDING", 0, null),
                        stage("train", "PENDING", 0, null)))
                .at(2, run("RUNNING", done("ingest", 1200), stage("preprocess", "RUNNING", 1, null),
                        stage("train", "PENDING", 0, null)))
                .at(4, run("RUNNING", done("ingest", 1200), done("preprocess", 800), training(10)))
                .at(5, run("RUNNING", done("ingest", 1200), done("preprocess", 800), training(20)))
                .at(9, run("RUNNING", done("ingest", 1200), done("preprocess", 800), training(50)))
                .at(17, run("RUNNING", done("ingest", 1200), done("preprocess", 800), training(90)))
                .at(20, run("SUCCEEDED", done("ingest", 1200), done("preprocess", 800), done("train", 16_000)));

        JsonNode last = follower(false, script).follow("r1", Duration.ofMinutes(30));

        assertThat(last.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(lines()).containsExactly(
                "  ingest      RUNNING    attempt 1",
                "  ingest      COMPLETED  attempt 1  1.2 s",
                "  preprocess  RUNNING    attempt 1",
                "  preprocess  COMPLETED  attempt 1  0.8 s",
                "  train       RUNNING    attempt 1",
                "  train       RUNNING    10/108 candidates",
                // 20 at 5 s and 50 at 9 s came within 10 s of the last printed line; 50 is still current at 14 s
                "  train       RUNNING    50/108 candidates",
                // 90 at 17 s: within 10 s of the last printed line, and superseded by COMPLETED
                "  train       COMPLETED  attempt 1  16 s");
    }

    @Test
    void onATerminalProgressIsRewrittenInPlaceAndReplacedByTheNextLine() {
        Script script = new Script()
                .at(0, run("RUNNING", training(10)))
                .at(1, run("RUNNING", training(20)))
                .at(2, run("FAILED", stage("train", "FAILED", 1, "out of memory")));

        follower(true, script).follow("r1", Duration.ofMinutes(30));

        assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo(
                "  train       RUNNING    attempt 1\n"
                        + "\r\033[K  train       RUNNING    10/108 candidates"
                        + "\r\033[K  train       RUNNING    20/108 candidates"
                        + "\r\033[K  train       FAILED     attempt 1  error: out of memory\n");
    }

    @Test
    void aStageLeftPendingForAMinuteNamesTheServiceThatDoesNotConsumeIt() {
        Script script = new Script()
                .at(0, run("RUNNING", done("ingest", 500), stage("preprocess", "PENDING", 0, null)))
                .at(90, run("RUNNING", done("ingest", 500), stage("preprocess", "RUNNING", 1, null)))
                .at(91, run("FAILED", done("ingest", 500), stage("preprocess", "FAILED", 1, "no column 'Age'")));

        JsonNode last = follower(false, script).follow("r1", Duration.ofMinutes(30));

        assertThat(last.path("status").asText()).isEqualTo("FAILED");
        assertThat(stallAdviceAskedFor).containsExactly("preprocess");
        assertThat(lines()).containsExactly(
                "  ingest      COMPLETED  attempt 1  0.5 s",
                "  preprocess is still PENDING after 60 s: advice for preprocess",
                "  preprocess  RUNNING    attempt 1",
                "  preprocess  FAILED     attempt 1  error: no column 'Age'");
    }

    @Test
    void aRunWithNoStageYetWaitsForIngest() {
        Script script = new Script()
                .at(0, run("RUNNING"))
                .at(61, run("SUCCEEDED", done("ingest", 100)));

        follower(false, script).follow("r1", Duration.ofMinutes(30));

        assertThat(stallAdviceAskedFor).containsExactly("ingest");
    }

    @Test
    void anUnknownRunIdIsAClearError() {
        Script script = new Script().failing(0, 61, new TrackingException(404, "GET /pipelines/r9 answered 404: {}"));

        assertThatThrownBy(() -> follower(false, script).follow("r9", Duration.ofMinutes(30)))
                .isInstanceOf(CliException.class)
                .hasMessage("tracking-svc knows no run r9");
    }

    @Test
    void aShortTrackingOutageIsRiddenOutALongOneEndsWithWhereToLookLater() {
        TrackingException refused = new TrackingException(0, "tracking-svc at http://127.0.0.1:8080 did not answer");
        Script shortOutage = new Script()
                .at(0, run("RUNNING", stage("ingest", "RUNNING", 1, null)))
                .failing(1, 10, refused)
                .at(10, run("SUCCEEDED", done("ingest", 100)));

        assertThat(follower(false, shortOutage).follow("r1", Duration.ofMinutes(30)).path("status").asText())
                .isEqualTo("SUCCEEDED");
        assertThat(lines()).containsExactly(
                "  ingest      RUNNING    attempt 1",
                "  (tracking-svc is not answering; retrying for 60 s)",
                "  ingest      COMPLETED  attempt 1  0.1 s");

        Script longOutage = new Script().at(0, run("RUNNING")).failing(1, 1000, refused);
        assertThatThrownBy(() -> follower(false, longOutage).follow("r1", Duration.ofMinutes(30)))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("did not answer")
                .hasMessageContaining("./mlops status r1");
    }

    @Test
    void followingStopsAtTheTimeoutAndSaysTheRunGoesOn() {
        Script script = new Script().at(0, run("RUNNING", stage("ingest", "RUNNING", 1, null)));

        assertThatThrownBy(() -> follower(false, script).follow("r1", Duration.ofSeconds(30)))
                .isInstanceOf(CliException.class)
                .hasMessage("run r1 is still RUNNING after 30 s; it goes on: ./mlops status r1 shows it");
        assertThat(clock.millis()).isBetween(30_000L, 31_000L);
    }

    private RunFollower follower(boolean terminal, Script script) {
        output.reset();
        return new RunFollower(runId -> script.answerAt(clock.millis()),
                stage -> {
                    stallAdviceAskedFor.add(stage);
                    return "advice for " + stage;
                },
                new PrintStream(output, true, StandardCharsets.UTF_8), terminal, clock);
    }

    private List<String> lines() {
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }

    static String stage(String name, String status, int attempt, String error) {
        return "{\"stage\":\"" + name + "\",\"status\":\"" + status + "\",\"attempt\":" + attempt
                + (error == null ? "" : ",\"error\":\"" + error + "\"") + "}";
    }

    static String done(String name, long durationMs) {
        return "{\"stage\":\"" + name + "\",\"status\":\"COMPLETED\",\"attempt\":1,\"durationMs\":" + durationMs + "}";
    }

    static String training(int done) {
        return "{\"stage\":\"train\",\"status\":\"RUNNING\",\"attempt\":1,\"progress\":{\"done\":" + done
                + ",\"total\":108}}";
    }

    static JsonNode run(String status, String... stages) {
        return Json.tree("{\"runId\":\"r1\",\"name\":\"titanic\",\"status\":\"" + status + "\",\"stages\":["
                + String.join(",", stages) + "],\"metrics\":{},\"artifacts\":{}}");
    }

    /** What tracking-svc answers, by the second from which it answers it. */
    private static final class Script {
        private final TreeMap<Long, Object> answers = new TreeMap<>();

        Script at(long second, JsonNode run) {
            answers.put(second * 1000, run);
            return this;
        }

        Script failing(long fromSecond, long toSecond, TrackingException e) {
            answers.put(fromSecond * 1000, e);
            if (!answers.containsKey(toSecond * 1000)) {
                answers.put(toSecond * 1000, e);
            }
            return this;
        }

        JsonNode answerAt(long millis) {
            Map.Entry<Long, Object> entry = answers.floorEntry(millis);
            if (entry.getValue() instanceof TrackingException e) {
                throw e;
            }
            return (JsonNode) entry.getValue();
        }
    }

    private static final class ScriptedClock implements RunFollower.Clock {
        private long now;

        @Override
        public long millis() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            now += millis;
        }
    }
}
