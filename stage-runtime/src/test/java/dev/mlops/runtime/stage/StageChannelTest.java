package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Release;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.RunStop;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each path of a record through a stage's channel (SmallRye's in-memory connector in place of Kafka): what reaches
 * the dead-letter topic (a nacked record), the status topic and the completed topic, and that the channel goes on
 * consuming.
 */
@QuarkusTest
class StageChannelTest {

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    ScriptedWork work;

    @Inject
    MeterRegistry metrics;

    @BeforeEach
    void emptySinks() {
        status().clear();
        completed().clear();
    }

    @Test
    @DisplayName("a record that is not an event ('{\"runId\": 42' cut short) is nacked to dead letters, with no status")
    void unreadableRecordGoesToTheDeadLetterTopic() {
        Delivery delivery = deliver("{\"runId\": 42");

        assertThat(delivery.awaitNack()).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("not a valid StageEvent");
        assertThat(status().received()).as("no STARTED or FAILED for a record that names no run").isEmpty();
        assertStillConsuming();
    }

    @Test
    @DisplayName("a spec whose grid is 101 × 100 candidates × 3 folds fails the run naming model.grid, dead-lettered")
    void specOverTheWorkLimitsFailsTheRunAndGoesToTheDeadLetterTopic() {
        PipelineSpec d = spec("local");
        PipelineSpec bigGrid = new PipelineSpec(d.name(), d.dataset(), d.target(), d.features(), d.split(),
                new PipelineSpec.Model("rf", "random_forest", 3, new PipelineSpec.Grid(
                        IntStream.rangeClosed(1, 101).boxed().toList(), IntStream.rangeClosed(1, 100).boxed().toList(),
                        List.of(2), List.of(1))), d.gate(), d.deploy());
        StageEvent event = event(bigGrid);

        Delivery delivery = deliver(Json.write(event));

        assertThat(delivery.awaitNack()).hasMessageContaining("model.grid has 10100 candidates");
        assertThat(statuses(event.runId())).extracting(StageStatusEvent::status)
                .containsExactly(StageStatusEvent.Status.FAILED);
        assertThat(failure(event.runId())).isEqualTo("invalid pipeline spec in the input event: model.grid has 10100"
                + " candidates × 3 folds = 30300 fits, over the limit of 10000 (mlops.limits.max-candidate-fits)");
        assertThat(work.calls(event.runId())).isZero();
    }

    @Test
    @DisplayName("a spec without a dataset (an event made by hand) fails the run naming dataset.uri, dead-lettered")
    void incompleteSpecFailsTheRunNamingTheMissingField() {
        PipelineSpec d = spec("local");
        PipelineSpec noDataset = new PipelineSpec(d.name(), null, d.target(), null, null, null, null, null);
        StageEvent event = event(noDataset);

        Delivery delivery = deliver(Json.write(event));

        assertThat(delivery.awaitNack()).hasMessageContaining("dataset.uri");
        assertThat(failure(event.runId())).startsWith("invalid pipeline spec in the input event: dataset.uri");
        assertThat(work.calls(event.runId())).isZero();
    }

    @Test
    @DisplayName("a run with deploy.target none skips the deploy stage: acked, nothing published, no work")
    void aStageTheRunDoesNotGoThroughIsSkipped() {
        StageEvent event = event(spec("none"));

        Delivery delivery = deliver(Json.write(event));

        delivery.awaitAck();
        assertThat(status().received()).isEmpty();
        assertThat(completed().received()).isEmpty();
        assertThat(work.calls(event.runId())).isZero();
    }

    @Test
    @DisplayName("a run whose evaluate kept the production model (param release=kept) skips deploy; one released goes on")
    void aRunThatKeptProductionIsNotDeployed() {
        StageEvent evaluated = event(spec("local"));
        StageEvent kept = new StageEvent(StageEvent.SCHEMA_VERSION, evaluated.runId(), "image", 1, evaluated.spec(),
                evaluated.artifacts(), Map.of(), Map.of(Release.PARAM, Release.KEPT, Release.NOTE_PARAM,
                "kept production version 1"), Instant.now());

        deliver(Json.write(kept)).awaitAck();

        assertThat(status().received()).isEmpty();
        assertThat(completed().received()).isEmpty();
        assertThat(work.calls(kept.runId())).isZero();

        StageEvent promoted = new StageEvent(StageEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "image", 1,
                evaluated.spec(), Map.of(), Map.of(), Map.of(Release.PARAM, Release.PROMOTED), Instant.now());
        deliver(Json.write(promoted)).awaitAck();
        assertThat(completedOf(promoted.runId())).hasSize(1);
    }

    @Test
    @DisplayName("the same record delivered again publishes the stored completed event again without redoing the work")
    void aRedeliveredRecordReplaysTheStoredOutput() {
        StageEvent event = event(spec("local"));

        deliver(Json.write(event)).awaitAck();
        deliver(Json.write(event)).awaitAck();

        List<StageEvent> outputs = completedOf(event.runId());
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
        assertThat(outputs.get(1).params()).containsEntry("endpoint", "http://127.0.0.1:8090");
        assertThat(work.calls(event.runId())).as("the work is done once").isEqualTo(1);
        assertThat(statuses(event.runId())).extracting(StageStatusEvent::status)
                .containsExactly(StageStatusEvent.Status.STARTED);
    }

    @Test
    @DisplayName("work failing twice with 'S3 answered 503' is tried again and completes (3 tries allowed)")
    void aTransientFailureIsRetriedThenCompletes() {
        StageEvent event = event(spec("local"));
        AtomicInteger tries = new AtomicInteger();
        work.script(event.runId(), (input, progress) -> {
            if (tries.incrementAndGet() <= 2) {
                throw new TransientFailure("PUT s3://mlops-artifacts/runs/" + input.runId() + "/x answered 503");
            }
            return new StageResult(Map.of(), Map.of(), Map.of("endpoint", "http://127.0.0.1:8091"));
        });
        double transientBefore = transientFailures();

        deliver(Json.write(event)).awaitAck();

        assertThat(completedOf(event.runId())).singleElement()
                .satisfies(out -> assertThat(out.params()).containsEntry("endpoint", "http://127.0.0.1:8091"));
        assertThat(work.calls(event.runId())).isEqualTo(3);
        assertThat(failure(event.runId())).as("no FAILED status").isNull();
        assertThat(transientFailures() - transientBefore).as("mlops_stage_transient_failures_total{stage=deploy}")
                .isEqualTo(2);
    }

    @Test
    @DisplayName("a stop notice on mlops.run.stops (after an unreadable one, 'not json'): the run's event is"
            + " acknowledged with no status; the channel goes on")
    void aRunAnnouncedStoppedDoesNotStart() {
        StageEvent event = event(spec("local"));
        notice("not json", event.runId());
        notice(Json.write(new RunStop(1, "the API", Instant.now())), event.runId());

        deliver(Json.write(event)).awaitAck();

        assertThat(statuses(event.runId())).as("no STARTED, no FAILED").isEmpty();
        assertThat(work.calls(event.runId())).isZero();
        assertStillConsuming();
    }

    private void notice(String payload, String runId) {
        connector.source(Topics.RUN_STOPS).send(Message.of(payload, Metadata.of(new IncomingKafkaRecordMetadata<>(
                new ConsumerRecord<>(Topics.RUN_STOPS, 0, 0L, runId, payload), Topics.RUN_STOPS))));
    }

    private double transientFailures() {
        return metrics.counter("mlops.stage.transient.failures", "stage", "deploy").count();
    }

    @Test
    @DisplayName("a completed event Kafka refuses (a 2 MB param) fails the run; the next record is still consumed")
    void aRefusedCompletedSendFailsTheRunAndTheChannelGoesOn() {
        StageEvent event = event(spec("local"));
        work.script(event.runId(), (input, progress) ->
                new StageResult(Map.of(), Map.of(), Map.of("notes", "x".repeat(2 * SizeLimitedEmitter.MAX_BYTES))));

        deliver(Json.write(event)).awaitAck();

        assertThat(failure(event.runId())).startsWith("the " + Topics.DEPLOY_COMPLETED + " event of run "
                + event.runId() + " is too large for Kafka");
        assertThat(completedOf(event.runId())).isEmpty();
        assertStillConsuming();
    }

    /** A normal record after the one under test is worked on and its completed event published. */
    private void assertStillConsuming() {
        StageEvent next = event(spec("local"));
        deliver(Json.write(next)).awaitAck();
        assertThat(completedOf(next.runId())).hasSize(1);
    }

    private static PipelineSpec spec(String deployTarget) {
        PipelineSpec d = PipelineSpec.defaults("file:/data/titanic.csv");
        return new PipelineSpec(d.name(), d.dataset(), d.target(), d.features(), d.split(), d.model(), d.gate(),
                new PipelineSpec.Deploy(deployTarget));
    }

    private static StageEvent event(PipelineSpec spec) {
        String runId = UUID.randomUUID().toString();
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "image", 1, spec,
                Map.of("model/model.bin", "s3://mlops-artifacts/runs/" + runId + "/model/model.bin"), Map.of(),
                Map.of(), Instant.now());
    }

    private Delivery deliver(String payload) {
        Delivery delivery = new Delivery(payload);
        connector.source(Topics.IMAGE_COMPLETED).send(delivery.message);
        return delivery;
    }

    private InMemorySink<String> status() {
        return connector.sink(Topics.STAGE_STATUS);
    }

    private InMemorySink<String> completed() {
        return connector.sink(Topics.DEPLOY_COMPLETED);
    }

    private List<StageStatusEvent> statuses(String runId) {
        return status().received().stream().map(m -> EventJson.readStatusEvent(m.getPayload()))
                .filter(s -> s.runId().equals(runId)).toList();
    }

    private String failure(String runId) {
        return statuses(runId).stream().filter(s -> s.status() == StageStatusEvent.Status.FAILED)
                .map(StageStatusEvent::error).findFirst().orElse(null);
    }

    private List<StageEvent> completedOf(String runId) {
        return completed().received().stream().map(m -> EventJson.readStageEvent(m.getPayload()))
                .filter(e -> e.isFor(runId)).toList();
    }

    /** One delivery of a record: whether the stage acknowledged it or nacked it (to the dead-letter topic). */
    private static final class Delivery {
        final CompletableFuture<Void> acked = new CompletableFuture<>();
        final CompletableFuture<Throwable> nacked = new CompletableFuture<>();
        final Message<String> message;

        Delivery(String payload) {
            message = Message.of(payload, () -> {
                acked.complete(null);
                return CompletableFuture.completedFuture(null);
            }, failure -> {
                nacked.complete(failure);
                return CompletableFuture.completedFuture(null);
            });
        }

        void awaitAck() {
            await().atMost(Duration.ofSeconds(10)).until(() -> acked.isDone() || nacked.isDone());
            assertThat(nacked).as("not nacked").isNotDone();
        }

        Throwable awaitNack() {
            await().atMost(Duration.ofSeconds(10)).until(() -> acked.isDone() || nacked.isDone());
            assertThat(acked).as("not acked").isNotDone();
            return nacked.join();
        }
    }
}
