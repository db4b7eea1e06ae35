package dev.mlops.train.service;

import dev.mlops.common.event.StageEvent;

/**
 * A record on {@code mlops.train.work}: score unit {@code unit} of the search the train stage runs for {@code input}
 * (whose artifacts hold the training data), a search identified by {@code fingerprint}.
 */
public record WorkOrder(StageEvent input, String fingerprint, String unit) {

    /** The record key: spreads a search's units over the topic's partitions. */
    public String key() {
        return input.runId() + "/" + unit;
    }
}
