package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.runtime.messaging.EventMessages;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Once the service has started, on a thread of its own, takes a made-up event through the code a stage's events
 * take, so that its first events find that code compiled ({@link dev.mlops.common.jvm.QuickCompilation} compiles a
 * method after 20 calls) instead of interpreting it: a stage sees one event per run, and a fresh stack's first
 * twenty hops took 11-15 ms against 7-9 ms for the next ones. First {@value #ROUNDS} times in process: parse,
 * confine, validate, skip, the STARTED record's message ({@link #warmInProcess}). Then {@value #RECORDS} records
 * through Kafka to {@link Topics#WARM_UP}, sent like STARTED and taken like an input record by
 * {@link WarmUpConsumer} ({@link #warmThroughKafka}). Nothing is stored and no run sees them; the made-up event is
 * valid, so the path warmed is the one real events take.
 */
@ApplicationScoped
public class EventPathWarmUp {

    static final int ROUNDS = 30;
    public static final int RECORDS = 25;
    /** Records a little apart, so that each takes the consumer's path alone, as an input record does. */
    private static final Duration RECORD_GAP = Duration.ofMillis(20);
    private static final Duration ASSIGNMENT_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(EventPathWarmUp.class);
    /** The run id of the made-up event, and the warm-up records' key: no run has it. */
    public static final String RUN_ID = "event-path-warm-up";

    private final StageInputParser parser;
    private final StageSkip skip;
    private final ArtifactStore store;
    private final String serviceName;
    private final MutinyEmitter<String> warmUpRecords;
    private final KafkaClientService kafka;
    /**
     * How long after its start a service waits before warming up: {@code ./mlops up} starts every service at once on
     * what may be 2 cores, and warming up meanwhile made the last one ready 10 s later (23 s instead of 13 s).
     */
    private final Duration delay;

    public EventPathWarmUp(StageInputParser parser, StageSkip skip, ArtifactStore store,
                           @ConfigProperty(name = "quarkus.application.name") String serviceName,
                           @Channel(Topics.WARM_UP_OUT_CHANNEL) MutinyEmitter<String> warmUpRecords,
                           KafkaClientService kafka,
                           @ConfigProperty(name = "mlops.stage.warm-up.delay", defaultValue = "10s") Duration delay) {
        this.parser = parser;
        this.skip = skip;
        this.store = store;
        this.serviceName = serviceName;
        this.warmUpRecords = warmUpRecords;
        this.kafka = kafka;
        this.delay = delay;
    }

    void onStart(@Observes StartupEvent started) {
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            warmInProcess();
            warmThroughKafka();
        }, "event-path-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** The rounds that went the whole way, as a real event would; a failure ends the warm-up, logged. */
    int warmInProcess() {
        String payload = Json.write(madeUpEvent());
        int rounds = 0;
        try {
            for (; rounds < ROUNDS; rounds++) {
                StageEvent input = parser.parse(payload);
                if (skip.skips(Stage.PREPROCESS, input)) {
                    throw new IllegalStateException("the made-up event skips preprocess");
                }
                EventMessages.of(Topics.STAGE_STATUS, input.runId(), StageStatusEvent.started(input, Stage.PREPROCESS),
                        serviceName);
            }
        } catch (Exception e) {
            LOG.warnf("warming the event path up stopped after %d rounds: %s", rounds, e.toString());
        }
        return rounds;
    }

    /**
     * The records sent once {@link WarmUpConsumer}'s partition is assigned and positioned at its end (up to
     * {@link #ASSIGNMENT_WAIT}); none when that channel is not on Kafka (tests on the in-memory connector). A failed
     * send ends the warm-up, logged: the service works the same without it.
     */
    int warmThroughKafka() {
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(Topics.WARM_UP);
        if (consumer == null) {
            return 0;
        }
        int sent = 0;
        try {
            Map<TopicPartition, Long> positions = consumer.getPositions()
                    .onItem().transformToUni(p -> p.isEmpty() ? Uni.createFrom().failure(new IllegalStateException(
                            "partition not assigned yet")) : Uni.createFrom().item(p))
                    .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .expireIn(ASSIGNMENT_WAIT.toMillis())
                    .await().atMost(ASSIGNMENT_WAIT.plusSeconds(5));
            LOG.debugf("warm-up partition positioned at %s", positions);
            StageEvent event = madeUpEvent();
            for (; sent < RECORDS; sent++) {
                // as STARTED is sent (EventMessages: key, CloudEvents headers), to the partition the consumer reads
                warmUpRecords.sendMessageAndAwait(EventMessages.of(Topics.WARM_UP, RUN_ID, event, serviceName)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(RUN_ID)
                                .withPartition(Topics.SINGLE_PARTITION).build()));
                Thread.sleep(RECORD_GAP.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("warming the event path up through Kafka stopped after %d records: %s", sent, e.toString());
        }
        return sent;
    }

    /** An ingest.completed event of the default pipeline, as large as a real one. */
    StageEvent madeUpEvent() {
        String dataset = ArtifactUri.forRun(store.bucket(), RUN_ID, "ingest/dataset.csv").toString();
        PipelineSpec spec = PipelineSpec.defaults(dataset);
        return new StageEvent(StageEvent.SCHEMA_VERSION, RUN_ID, Stage.INGEST.id(), 1, spec,
                Map.of("dataset", dataset, "profile", ArtifactUri.forRun(store.bucket(), RUN_ID,
                        "ingest/profile.json").toString()),
                Map.of("rows", 891.0, "columns", 12.0), Map.of("dataset.sha256", "0".repeat(64)), Instant.now());
    }
}
