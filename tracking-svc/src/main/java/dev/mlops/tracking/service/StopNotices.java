package dev.mlops.tracking.service;

import dev.mlops.common.store.RunStop;

/**
 * Where the service announces a stopped run to the stages, after its {@link RunStop} marker is stored. The marker
 * stays what decides: a notice that is late or lost only means a stage reads the stop from the store instead, after
 * its STARTED. The messaging package implements it.
 */
public interface StopNotices {

    /** Sends the notice without waiting for the broker; a failed send is logged, never thrown. */
    void announce(String runId, RunStop stop);
}
