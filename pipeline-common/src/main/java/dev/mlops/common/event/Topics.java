package dev.mlops.common.event;

import java.util.ArrayList;
import java.util.List;

/**
 * Kafka topic names, as constants so that {@code @Incoming}/{@code @Channel}/{@code @Outgoing} can name them.
 * Channel names in every service equal these, except {@link #STAGE_COMPLETED_CHANNEL}.
 */
public final class Topics {
    public static final String PIPELINE_REQUESTED = "mlops.pipeline.requested";
    public static final String INGEST_COMPLETED = "mlops.ingest.completed";
    public static final String PREPROCESS_COMPLETED = "mlops.preprocess.completed";
    public static final String TRAIN_COMPLETED = "mlops.train.completed";
    public static final String EVALUATE_COMPLETED = "mlops.evaluate.completed";
    public static final String IMAGE_COMPLETED = "mlops.image.completed";
    public static final String DEPLOY_COMPLETED = "mlops.deploy.completed";
    public static final String STAGE_STATUS = "mlops.stage.status";
    public static final String DEAD_LETTER = "mlops.dead-letter";
    /** train-svc's grid-search work units, shared out over the replicas' consumer group. */
    public static final String TRAIN_WORK = "mlops.train.work";
    /**
     * Stop notices: tracking-svc publishes a run's {@link dev.mlops.common.store.RunStop} here (keyed by run id) once
     * its marker is stored; every stage instance reads them all, so a stopped run's next stage knows before STARTED.
     */
    public static final String RUN_STOPS = "mlops.run.stops";
    /**
     * Warm-up records: each stage service sends a few to itself once started, through the same Kafka client code its
     * events take, so that its first events find that code compiled. Only partition 0 is used; nothing else reads it.
     */
    public static final String WARM_UP = "mlops.warm-up";
    /** The outgoing channel of the warm-up records (an incoming and an outgoing channel cannot share a name). */
    public static final String WARM_UP_OUT_CHANNEL = "mlops-warm-up-out";
    /** The one partition of {@link #RUN_STOPS} and {@link #WARM_UP} that is written and read. */
    public static final int SINGLE_PARTITION = 0;
    /** tracking-svc's one channel subscribed to every stage's completed topic. */
    public static final String STAGE_COMPLETED_CHANNEL = "mlops-stage-completed";

    private Topics() {
    }

    /** Every topic of the platform, for creating them up front. */
    public static List<String> all() {
        List<String> topics = new ArrayList<>();
        topics.add(PIPELINE_REQUESTED);
        for (Stage stage : Stage.values()) {
            topics.add(stage.completedTopic());
        }
        topics.add(STAGE_STATUS);
        topics.add(DEAD_LETTER);
        topics.add(TRAIN_WORK);
        topics.add(RUN_STOPS);
        topics.add(WARM_UP);
        return topics;
    }
}
