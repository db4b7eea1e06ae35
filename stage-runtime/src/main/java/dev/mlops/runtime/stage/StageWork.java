package dev.mlops.runtime.stage;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;

/** A stage's work: a function of its input event (and the artifact store). */
@FunctionalInterface
public interface StageWork {

    StageResult run(StageEvent input, ProgressListener progress) throws Exception;

    /** Reports how far a long stage is (e.g. grid-search candidates done of total). */
    @FunctionalInterface
    interface ProgressListener {
        void progress(int done, int total);
    }
}
