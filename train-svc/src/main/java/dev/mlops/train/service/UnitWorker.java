package dev.mlops.train.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.ArtifactStore;
import org.jboss.logging.Logger;

import java.util.function.BiConsumer;

/**
 * Scores the units of fanned-out searches that reach this replica, each at most once: a unit whose score is stored
 * already (scored by a replica that died before acknowledging it, or published again) is skipped. The training data
 * and plan of the last search seen are kept, so a search's units after the first cost no reading.
 */
public final class UnitWorker {

    private static final Logger LOG = Logger.getLogger(UnitWorker.class);

    private final ArtifactStore store;
    private final UnitScores scores;
    private final String replica;
    private final BiConsumer<String, String> onScored;
    private String planKey;
    private SearchPlan plan;

    /** @param onScored hears (run id, unit) once a unit this replica scored is stored (a metric, a log) */
    public UnitWorker(ArtifactStore store, String replica, BiConsumer<String, String> onScored) {
        this.store = store;
        this.scores = new UnitScores(store);
        this.replica = replica;
        this.onScored = onScored;
    }

    /** Scores the order's unit and stores its score, unless it is stored already; true when it scored. */
    public boolean work(WorkOrder order) {
        StageEvent input = order.input();
        if (scores.exists(input.runId(), input.attempt(), order.unit())) {
            LOG.debugf("run %s: unit %s is scored already", input.runId(), order.unit());
            return false;
        }
        SearchPlan search = plan(order);
        if (!search.fingerprint().equals(order.fingerprint())) {
            LOG.warnf("run %s: unit %s skipped: the order is for another search of this run than its data gives",
                    input.runId(), order.unit());
            return false;
        }
        long start = System.nanoTime();
        scores.put(input.runId(), input.attempt(), search.score(SearchWork.parse(order.unit()), replica));
        onScored.accept(input.runId(), order.unit());
        LOG.infof("run %s: unit %s scored by %s in %.2f s", input.runId(), order.unit(), replica,
                (System.nanoTime() - start) / 1e9);
        return true;
    }

    private synchronized SearchPlan plan(WorkOrder order) {
        String key = order.input().runId() + "/" + order.input().attempt() + "/" + order.fingerprint();
        if (!key.equals(planKey)) {
            plan = SearchPlan.of(order.input(), TrainingInputs.read(order.input(), store).training());
            planKey = key;
        }
        return plan;
    }
}
