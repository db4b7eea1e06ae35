package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.store.RunStop;
import dev.mlops.runtime.messaging.EventCounters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the runner does with records that would have stopped a consumer: work that runs out of memory, a broker
 * that does not take a send, an event naming another run's artifacts, a record that kills its service every time.
 * Nothing may be thrown out of {@link StageRunner#run}: SmallRye would end the channel. The paths through a real
 * channel (dead letters, invalid spec, skip, replay, retry, a refused send) are in {@link StageChannelTest}.
 */
class StageRunnerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final StoppedRuns stoppedRuns = new StoppedRuns(store);
    private final RecordingEmitter status = new RecordingEmitter();
    private final RecordingEmitter completed = new RecordingEmitter();
    private final CountDownLatch neverEnding = new CountDownLatch(1);
    private final AtomicInteger workCalls = new AtomicInteger();
    private final StageRetryConfig retryConfig = new FastRetryConfig(2);

    @AfterEach
    void releaseCrashedDeliveries() {
        neverEnding.countDown();
    }

    @Test
    void workRunningOutOfMemoryFailsTheRunAndTheNextRecordIsStillWorkedOn() {
        // input: a record whose work throws OutOfMemoryError("Java heap space"), then a normal record
        StageRunner runner = runner(3);
        StageEvent poison = event(UUID.randomUUID().toString());
        Delivery first = deliver(runner, poison, (input, progress) -> {
            throw new OutOfMemoryError("Java heap space");
        });

        assertThat(first.acked).as("the poison record is acknowledged, not redelivered").isTrue();
        assertThat(statuses(poison.runId())).extracting(StageStatusEvent::status)
                .containsExactly(StageStatusEvent.Status.STARTED, StageStatusEvent.Status.FAILED);
        assertThat(failure(poison.runId())).isEqualTo("ran out of memory: Java heap space");

        StageEvent normal = event(UUID.randomUUID().toString());
        Delivery second = deliver(runner, normal, this::trained);

        assertThat(second.acked).isTrue();
        assertThat(completedRunIds()).containsExactly(normal.runId());
    }

    @Test
    void anEventOfARunAnnouncedStoppedIsAcknowledgedBeforeStartedAndARetryAfterTheStopIsWorkedOn() {
        // input: train's input event of a run stopped at attempt 1 (its marker and its notice, as tracking-svc writes
        // and announces them), then the same event as attempt 2 (a retry after the stop)
        StageEvent event = event(UUID.randomUUID().toString());
        RunStop stop = new RunStop(1, "the API", Instant.now());
        stop.write(store, event.runId());
        stoppedRuns.remember(event.runId(), stop);

        Delivery stopped = deliver(runner(3), event, this::trained);

        assertThat(stopped.acked).isTrue();
        assertThat(workCalls).hasValue(0);
        assertThat(statuses(event.runId())).as("no STARTED, no FAILED").isEmpty();
        assertThat(completedRunIds()).isEmpty();

        Delivery retried = deliver(runner(3), event.withAttempt(2), this::trained);

        assertThat(retried.acked).isTrue();
        assertThat(workCalls).hasValue(1);
        assertThat(completedRunIds()).containsExactly(event.runId());
    }

    @Test
    void aStopThisInstanceWasNotToldOfStillKeepsTheWorkFromRunning() {
        // input: a stopped run's event whose stop is only in the store (its notice not read yet, or the service
        // started after it), then a running run's event
        StageRunner runner = runner(3);
        StageEvent stoppedRun = event(UUID.randomUUID().toString());
        StageEvent runningRun = event(UUID.randomUUID().toString());
        new RunStop(1, "schedule 'nightly' (concurrencyPolicy Replace)", Instant.now()).write(store, stoppedRun.runId());

        Delivery first = deliver(runner, stoppedRun, this::trained);
        Delivery second = deliver(runner, runningRun, this::trained);

        assertThat(List.of(first.acked, second.acked)).containsOnly(true);
        assertThat(statuses(stoppedRun.runId())).extracting(StageStatusEvent::status)
                .containsExactly(StageStatusEvent.Status.STARTED, StageStatusEvent.Status.FAILED);
        assertThat(failure(stoppedRun.runId())).isEqualTo("not run: the run was stopped by schedule 'nightly'"
                + " (concurrencyPolicy Replace) before this stage's work began");
        assertThat(workCalls).as("only the running run worked on").hasValue(1);
        assertThat(completedRunIds()).containsExactly(runningRun.runId());
    }

    @Test
    void anOlderStopNoticeReadLateDoesNotUndoANewerOne() {
        // input: a run stopped at attempt 2 (after a retry), then its attempt-1 stop notice read again (a service
        // starting reads the topic from its oldest record); then attempt 2's event
        StageEvent event = event(UUID.randomUUID().toString()).withAttempt(2);
        stoppedRuns.remember(event.runId(), new RunStop(2, "the API", Instant.now()));
        stoppedRuns.remember(event.runId(), new RunStop(1, "the API", Instant.now().minusSeconds(60)));

        Delivery delivery = deliver(runner(3), event, this::trained);

        assertThat(delivery.acked).isTrue();
        assertThat(statuses(event.runId())).as("known stopped at attempt 2: no STARTED").isEmpty();
        assertThat(workCalls).hasValue(0);
    }

    @Test
    void workOverflowingTheStackFailsTheRunNamingIt() {
        // input: a record whose work throws StackOverflowError
        StageEvent event = event(UUID.randomUUID().toString());
        Delivery delivery = deliver(runner(3), event, (input, progress) -> {
            throw new StackOverflowError();
        });

        assertThat(delivery.acked).isTrue();
        assertThat(failure(event.runId())).isEqualTo("ran out of stack (too deep a recursion): StackOverflowError");
    }

    @Test
    void failedSendsAreTriedAgainUntilTheBrokerTakesThem() {
        // input: a normal record while the broker refuses the first STARTED send and the first two completed sends
        status.failNext(1);
        completed.failNext(2);
        StageEvent event = event(UUID.randomUUID().toString());

        Delivery delivery = deliver(runner(3), event, this::trained);

        assertThat(delivery.acked).isTrue();
        assertThat(status.failed).hasValue(1);
        assertThat(completed.failed).hasValue(2);
        assertThat(statuses(event.runId())).extracting(StageStatusEvent::status)
                .containsExactly(StageStatusEvent.Status.STARTED);
        assertThat(completedRunIds()).containsExactly(event.runId());
        assertThat(workCalls).as("the work is not redone for a send").hasValue(1);
    }

    @Test
    void aServiceStoppingWhileItCannotSendLeavesTheRecordUnacknowledged() {
        // input: a normal record; the completed send keeps failing until the service is told to stop
        AtomicBoolean stopping = new AtomicBoolean();
        StageRunner runner = runner(3, publisher(stopping::get));
        completed.failNext(Integer.MAX_VALUE).onFailure(() -> stopping.set(completed.failed.get() >= 3));
        StageEvent event = event(UUID.randomUUID().toString());

        Delivery delivery = deliver(runner, event, this::trained);

        assertThat(delivery.result.toCompletableFuture()).isNotDone();
        assertThat(delivery.acked).isFalse();
        assertThat(delivery.nacked).isNull();
        assertThat(failure(event.runId())).as("no FAILED status: the run is not at fault").isNull();
    }

    @Test
    void anEventNamingAnotherRunsArtifactsIsDeadLetteredWithoutAnyStatus() {
        // input: a train.completed-like event of run "attacker" whose model is run "victim"'s
        StageEvent event = new StageEvent(StageEvent.SCHEMA_VERSION, "attacker", "preprocess", 98, spec(),
                Map.of("model/model.bin", "s3://mlops-artifacts/runs/victim/model/model.bin"), Map.of(), Map.of(),
                Instant.now());

        Delivery delivery = deliver(runner(3), event, this::trained);

        assertThat(delivery.acked).isFalse();
        assertThat(delivery.nacked).hasMessage("refused: artifact 'model/model.bin' of run attacker:"
                + " 's3://mlops-artifacts/runs/victim/model/model.bin' is not under the run's prefix"
                + " s3://mlops-artifacts/runs/attacker/");
        assertThat(status.sent).as("no STARTED or FAILED for any run").isEmpty();
        assertThat(workCalls).hasValue(0);
        assertThat(store.objects).isEmpty();
    }

    @Test
    void aRunIdThatWouldReachIntoAnotherRunsPrefixIsDeadLettered() {
        // input: an event whose runId is "victim/evaluate" (its outputs would land under victim's prefix)
        StageEvent event = event("victim/evaluate");

        Delivery delivery = deliver(runner(3), event, this::trained);

        assertThat(delivery.nacked).hasMessageContaining("run id 'victim/evaluate' must not contain '/'");
        assertThat(status.sent).isEmpty();
        assertThat(store.objects).isEmpty();
    }

    @Test
    void aSpecWithANulCharacterIsAnUnreadableEventForTheDeadLetterTopic() {
        // input: an event whose spec names the feature "Age\u0000": the event reader refuses it
        StageEvent event = event(UUID.randomUUID().toString(), withFeature("Age\u0000"));

        Delivery delivery = deliver(runner(3), event, this::trained);

        assertThat(delivery.nacked).hasMessageContaining("U+0000");
        assertThat(status.sent).isEmpty();
        assertThat(workCalls).hasValue(0);
    }

    @Test
    void aRecordThatKilledItsServiceThreeTimesIsParked() throws Exception {
        // input: one record delivered again after each of 3 "crashes" (a service whose work never returns, replaced
        // by a new one on the same store, as a restart would), then a 4th time
        StageEvent event = event(UUID.randomUUID().toString());
        for (int crash = 1; crash <= 3; crash++) {
            StageRunner restarted = runner(3);
            int startsBefore = startedCount(event.runId());
            Thread dying = new Thread(() -> deliver(restarted, event, (input, progress) -> {
                workCalls.incrementAndGet();
                neverEnding.await();
                return null;
            }));
            dying.setDaemon(true);
            dying.start();
            int callsSoFar = crash;
            // STARTED is published just before the work is called: wait for both
            awaitTrue(() -> startedCount(event.runId()) == startsBefore + 1 && workCalls.get() == callsSoFar);
        }
        assertThat(workCalls).as("the work was tried after each of the first two crashes").hasValue(3);

        Delivery fourth = deliver(runner(3), event, this::trained);

        assertThat(workCalls).as("not worked on a 4th time").hasValue(3);
        assertThat(fourth.acked).isFalse();
        assertThat(fourth.nacked).hasMessageContaining("started 3 times and never finished")
                .hasMessageContaining("mlops.stage.max-crashes=3");
        assertThat(failure(event.runId())).isEqualTo(fourth.nacked.getMessage());
    }

    @Test
    void aRedeliveryAfterTheOutputWasRecordedIsNotCountedAsACrash() {
        // input: the same record delivered 5 times after it completed (e.g. its offset commit was lost)
        StageEvent event = event(UUID.randomUUID().toString());
        StageRunner runner = runner(1);
        for (int i = 0; i < 5; i++) {
            assertThat(deliver(runner, event, this::trained).acked).isTrue();
        }
        assertThat(workCalls).hasValue(1);
        assertThat(completedRunIds()).hasSize(5).containsOnly(event.runId());
    }

    @Test
    void aRedeliveryAfterARestartReplaysTheStoredOutputWithoutRedoingTheWork() {
        // input: a record completed by one service, delivered again to its restarted successor (same store, nothing
        // in memory), which publishes STARTED before it has read the stored output
        StageEvent event = event(UUID.randomUUID().toString());
        assertThat(deliver(runner(3), event, this::trained).acked).isTrue();

        Delivery redelivered = deliver(runner(3), event, this::trained);

        assertThat(redelivered.acked).isTrue();
        assertThat(workCalls).as("the work is done once").hasValue(1);
        List<StageEvent> outputs = completed.sent.stream().map(EventJson::readStageEvent).toList();
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(1)).as("the stored output, not a new one").isEqualTo(outputs.get(0));
        assertThat(statuses(event.runId())).as("a second STARTED of the same attempt, which tracking ignores for a"
                + " completed stage; no FAILED").extracting(StageStatusEvent::status)
                .containsExactly(StageStatusEvent.Status.STARTED, StageStatusEvent.Status.STARTED);
    }

    @Test
    void aRedeliveryToTheSameServiceReplaysFromMemoryWithoutStartingAgain() {
        // input: a completed record delivered again to the same service after its stored output was lost
        StageEvent event = event(UUID.randomUUID().toString());
        StageRunner runner = runner(3);
        assertThat(deliver(runner, event, this::trained).acked).isTrue();
        store.objects.keySet().removeIf(uri -> uri.getPath().contains("/events/"));

        assertThat(deliver(runner, event, this::trained).acked).isTrue();

        assertThat(workCalls).hasValue(1);
        assertThat(completedRunIds()).containsExactly(event.runId(), event.runId());
        assertThat(startedCount(event.runId())).as("one STARTED").isEqualTo(1);
    }

    @Test
    void aCompletedRecordRedeliveredAfterItsRunWasStoppedIsNotReplayed() {
        // input: a record this service completed, its run stopped, then the record delivered again
        StageEvent event = event(UUID.randomUUID().toString());
        StageRunner runner = runner(3);
        deliver(runner, event, this::trained);
        new RunStop(1, "the API", Instant.now()).write(store, event.runId());

        Delivery redelivered = deliver(runner, event, this::trained);

        assertThat(redelivered.acked).isTrue();
        assertThat(completedRunIds()).as("published once, by the first delivery").containsExactly(event.runId());
        assertThat(workCalls).hasValue(1);
    }

    private StageResult trained(StageEvent input, StageWork.ProgressListener progress) {
        workCalls.incrementAndGet();
        return new StageResult(Map.of("model/model.bin", store.put(input.runId(), "model/model.bin", new byte[]{1},
                "application/octet-stream").toString()), Map.of("best_cv_score", 0.8), Map.of());
    }

    private StagePublisher publisher(BooleanSupplier stopping) {
        return new StagePublisher(status, new EventCounters(registry), retryConfig, "test-svc", stopping);
    }

    private StageRunner runner(int maxCrashes) {
        return runner(maxCrashes, publisher(() -> false));
    }

    private StageRunner runner(int maxCrashes, StagePublisher publisher) {
        StageMetrics metrics = new StageMetrics(registry);
        StageOutputs outputs = new StageOutputs(store);
        OutputReplay replay = new OutputReplay(outputs, publisher);
        CrashCount crashes = new CrashCount(outputs, maxCrashes);
        return new StageRunner(new StageInputParser(new RunConfinement(store), WorkLimits.DEFAULTS),
                stoppedRuns, new StartLookups(stoppedRuns, replay, crashes), new StageSkip(), replay, crashes,
                new StageWorker(new StageRetry(retryConfig, metrics), outputs, publisher), publisher, metrics,
                new EventCounters(registry));
    }

    private static PipelineSpec spec() {
        return PipelineSpec.defaults("file:/data/titanic.csv");
    }

    private static PipelineSpec withFeature(String name) {
        PipelineSpec d = spec();
        return new PipelineSpec(d.name(), d.dataset(), d.target(), new PipelineSpec.Features(List.of(name), List.of()),
                d.split(), d.model(), d.gate(), d.deploy());
    }

    private StageEvent event(String runId) {
        return event(runId, spec());
    }

    private StageEvent event(String runId, PipelineSpec spec) {
        String prefix = "s3://mlops-artifacts/runs/" + runId + "/";
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "preprocess", 1, spec,
                Map.of("preprocess/X_train.csv", prefix + "preprocess/X_train.csv"), Map.of(), Map.of(), Instant.now());
    }

    private Delivery deliver(StageRunner runner, StageEvent event, StageWork work) {
        return deliver(runner, new Delivery(Json.write(event)), work);
    }

    private Delivery deliver(StageRunner runner, Delivery delivery, StageWork work) {
        delivery.result = runner.run(Stage.TRAIN, delivery.message, completed, work);
        return delivery;
    }

    private List<StageStatusEvent> statuses(String runId) {
        return status.sent.stream().map(EventJson::readStatusEvent).filter(s -> s.runId().equals(runId)).toList();
    }

    private int startedCount(String runId) {
        return (int) statuses(runId).stream().filter(s -> s.status() == StageStatusEvent.Status.STARTED).count();
    }

    private String failure(String runId) {
        return statuses(runId).stream().filter(s -> s.status() == StageStatusEvent.Status.FAILED)
                .map(StageStatusEvent::error).findFirst().orElse(null);
    }

    private List<String> completedRunIds() {
        List<String> runIds = new ArrayList<>();
        completed.sent.forEach(json -> runIds.add(EventJson.readStageEvent(json).runId()));
        return runIds;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** One delivery of a record: whether the runner acknowledged it or nacked it (to the dead-letter topic). */
    private static final class Delivery {
        final Message<String> message;
        volatile boolean acked;
        volatile Throwable nacked;
        CompletionStage<Void> result;

        Delivery(String payload) {
            message = Message.of(payload, Metadata.empty(), () -> {
                acked = true;
                return CompletableFuture.completedFuture(null);
            }, failure -> {
                nacked = failure;
                return CompletableFuture.completedFuture(null);
            });
        }
    }
}
