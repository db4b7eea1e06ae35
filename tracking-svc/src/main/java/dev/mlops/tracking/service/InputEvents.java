package dev.mlops.tracking.service;

import dev.mlops.common.event.StageEvent;

/**
 * Where the service publishes a stage's input event: the pipeline request that starts a run, or for a retry the
 * event that runs a stage again. The messaging package implements it, so the dependency goes one way (messaging
 * uses the service, never the other way round).
 */
public interface InputEvents {

    /** Sends the event and returns once the broker acknowledged it; throws if it refuses it. */
    void send(StageEvent event);
}
