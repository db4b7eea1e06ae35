package dev.mlops.common.event;

import java.util.ArrayList;
import java.util.List;

/** Kafka topic names. Channel names in every service equal these. */
public final class Topics {
    public static final String PIPELINE_REQUESTED = "mlops.pipeline.requested";
    public static final String STAGE_STATUS = "mlops.stage.status";
    public static final String DEAD_LETTER = "mlops.dead-letter";

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
        return topics;
    }
}
