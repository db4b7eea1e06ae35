package dev.mlops.train.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.StageWork.ProgressListener;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * A grid search shared out over the train-svc replicas: the replica that runs the stage publishes one work order
 * per unit, every replica's {@link UnitWorker} scores the units its partitions bring, and this replica polls the
 * store until every unit's score is there, then aggregates them as the in-process search does. Units still missing
 * after the stall timeout with no new score are published again (their scored siblings are not scored twice).
 */
public final class FannedOutSearch {

    /** Publishes work orders on the work topic; returns once the broker has them. */
    public interface WorkQueue {
        void publish(List<WorkOrder> orders);
    }

    private static final Logger LOG = Logger.getLogger(FannedOutSearch.class);
    private static final int MAX_REPUBLISHES = 3;

    private final UnitScores scores;
    private final WorkQueue queue;
    private final IntSupplier replicas;
    private final int minReplicas;
    private final Duration pollInterval;
    private final Duration stallTimeout;

    /**
     * @param replicas    how many replicas consume the work topic now
     * @param minReplicas below this many the search stays in-process
     */
    public FannedOutSearch(UnitScores scores, WorkQueue queue, IntSupplier replicas, int minReplicas,
                           Duration pollInterval, Duration stallTimeout) {
        this.scores = scores;
        this.queue = queue;
        this.replicas = replicas;
        this.minReplicas = minReplicas;
        this.pollInterval = pollInterval;
        this.stallTimeout = stallTimeout;
    }

    /** Whether enough replicas share the work topic now to fan a search out. */
    public boolean worthIt() {
        return replicas() >= minReplicas;
    }

    /** Replicas consuming the work topic now. */
    public int replicas() {
        return replicas.getAsInt();
    }

    public GridSearchResult run(StageEvent input, SearchPlan plan, ProgressListener progress) {
        long start = System.nanoTime();
        plan.split(); // fails here, not on every replica, when the data cannot be split into the folds
        String runId = input.runId();
        List<SearchWork> units = plan.units();
        int total = plan.candidates().size();
        Map<String, UnitScore> done = new HashMap<>(scores.readNew(runId, input.attempt(), plan.fingerprint(),
                Set.of()));
        publishMissing(input, plan, units, done);
        LOG.infof("run %s: grid search fanned out over %d replicas: %s, %d units scored already", runId,
                replicas(), plan, done.size());
        long lastNewScore = System.nanoTime();
        int republished = 0;
        while (done.size() < units.size()) {
            sleep(pollInterval);
            Map<String, UnitScore> fresh = scores.readNew(runId, input.attempt(), plan.fingerprint(), done.keySet());
            if (!fresh.isEmpty()) {
                done.putAll(fresh);
                lastNewScore = System.nanoTime();
                progress.progress(plan.candidatesDone(done.keySet()), total);
            } else if (System.nanoTime() - lastNewScore > stallTimeout.toNanos()) {
                if (++republished > MAX_REPUBLISHES) {
                    throw new StageFailure("grid search stalled: " + (units.size() - done.size()) + " of "
                            + units.size() + " units were not scored after " + MAX_REPUBLISHES + " publications");
                }
                LOG.warnf("run %s: no unit scored for %s, publishing the %d missing again", runId, stallTimeout,
                        units.size() - done.size());
                publishMissing(input, plan, units, done);
                lastNewScore = System.nanoTime();
            }
        }
        return plan.aggregate(done.values(), (System.nanoTime() - start) / 1e9);
    }

    private void publishMissing(StageEvent input, SearchPlan plan, List<SearchWork> units,
                                Map<String, UnitScore> done) {
        queue.publish(units.stream().filter(unit -> !done.containsKey(unit.id()))
                .map(unit -> new WorkOrder(input, plan.fingerprint(), unit.id())).toList());
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the grid search's units", e);
        }
    }
}
