package dev.mlops.common.event;

import java.util.Arrays;
import java.util.Optional;

/** The stages of a pipeline run, in chain order. Each consumes the previous stage's completed topic. */
public enum Stage {
    INGEST("ingest", Topics.INGEST_COMPLETED),
    PREPROCESS("preprocess", Topics.PREPROCESS_COMPLETED),
    TRAIN("train", Topics.TRAIN_COMPLETED),
    EVALUATE("evaluate", Topics.EVALUATE_COMPLETED),
    IMAGE("image", Topics.IMAGE_COMPLETED),
    DEPLOY("deploy", Topics.DEPLOY_COMPLETED);

    private final String id;
    private final String completedTopic;

    Stage(String id, String completedTopic) {
        this.id = id;
        this.completedTopic = completedTopic;
    }

    public String id() {
        return id;
    }

    /** The topic this stage consumes: the previous stage's completed topic, or the pipeline request. */
    public String inputTopic() {
        return previous().map(Stage::completedTopic).orElse(Topics.PIPELINE_REQUESTED);
    }

    public String completedTopic() {
        return completedTopic;
    }

    public Optional<Stage> previous() {
        return ordinal() == 0 ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    public Optional<Stage> next() {
        return ordinal() == values().length - 1 ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    public static Optional<Stage> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
