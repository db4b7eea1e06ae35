package dev.mlops.image.messaging;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;

/** Tells runs that deploy nothing apart, before the stage starts: they end after evaluate. */
final class DeployTargets {

    private DeployTargets() {
    }

    /** True for a readable event whose spec deploys nothing; unreadable records are the runner's to dead-letter. */
    static boolean notDeployed(String payload) {
        try {
            return !EventJson.readStageEvent(payload).spec().deploys();
        } catch (InvalidEventException e) {
            return false;
        }
    }
}
