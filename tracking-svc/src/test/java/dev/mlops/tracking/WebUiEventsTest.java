package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's live feed: what tracking-svc records from the stage topics reaches an open {@code /ui/events} stream
 * as server-sent events, as does a run started through the API; the stream needs a signed-in browser or the token.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class WebUiEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mlops.api.token")
    String token;

    @TestHTTPResource("/ui/events")
    URI events;

    @Test
    void recordedStageEventsAndStartedRunsReachAnOpenStream() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events)
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            String started = TestRuns.startRun();
            assertThat(awaitEvent(lines, "run", started)).contains("\"status\":\"RUNNING\"");

            String runId = UUID.randomUUID().toString();
            StageEvents stages = new StageEvents(new KafkaTestClient(bootstrap), runId,
                    PipelineSpec.defaults("file:/data.csv"));
            stages.completed(Stage.INGEST, 1);
            assertThat(awaitEvent(lines, "stage", runId)).contains("\"stage\":\"ingest\"")
                    .contains("\"status\":\"COMPLETED\"").contains("\"attempt\":1");
            stages.progress(Stage.TRAIN, 1, 45, 108);
            assertThat(awaitEvent(lines, "stage", runId + "\",\"stage\":\"train")).contains("\"status\":\"PROGRESS\"")
                    .contains("\"progress\":{\"done\":45,\"total\":108}");
            stages.failed(Stage.TRAIN, 1, "out of memory");
            assertThat(awaitEvent(lines, "run", runId + "\",\"status\":\"FAILED")).isNotEmpty();
        } finally {
            stream.body().close();
        }
    }

    @Test
    void theStreamNeedsTheTokenOrASession() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(401);
    }

    /** The data line of the first event named {@code name} whose data contains {@code containing}. */
    private static String awaitEvent(BlockingQueue<String> lines, String name, String containing)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String event = null;
        List<String> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            if (line.startsWith("event:")) {
                event = line.substring("event:".length()).trim();
            } else if (line.startsWith("data:") && name.equals(event) && line.contains(containing)) {
                return line;
            }
        }
        throw new AssertionError("no '" + name + "' event with " + containing + " within 30 s; the stream sent: "
                + seen);
    }
}
