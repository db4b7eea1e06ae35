package dev.mlops.train.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.ModelTypes;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.estimator.HyperParams;
import dev.mlops.model.forest.ForestParams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A train stage's grid search as units of work ({@link SearchWork}: a batch of candidates on one fold). Every
 * replica builds the same plan from the run's spec and training data, so a unit named on the work topic means the
 * same work wherever it is scored, and {@link #aggregate} puts the units' scores together as the in-process search
 * does.
 */
public final class SearchPlan {

    private final TrainingSet data;
    private final boolean sharedTrees;
    private final List<ForestParams> forests;
    private final List<? extends HyperParams> candidates;
    private final int folds;
    private final long seed;
    private final String fingerprint;
    private final List<GridSearch.Batch> batches;
    private GridSearch.Fold[] split;

    private SearchPlan(StageEvent input, TrainingSet data) {
        PipelineSpec spec = input.spec();
        String type = spec.model().type();
        this.data = data;
        // a random-forest classifier's candidates share trees unless the spec says not to; every other grid is
        // fitted afresh
        this.sharedTrees = ModelTypes.RANDOM_FOREST.equals(type) && !data.regression()
                && !Boolean.FALSE.equals(spec.model().shareTrees());
        this.forests = sharedTrees ? ParamGrid.candidates(spec.model().grid()) : List.of();
        this.candidates = sharedTrees ? forests : ParamGrid.candidates(type, spec.model().grid());
        this.folds = spec.model().cv();
        this.seed = spec.split().seed();
        this.fingerprint = StoredCheckpoint.fingerprint(input, data, candidates, folds, seed);
        this.batches = sharedTrees ? GridSearch.forestBatches(forests, data.classLabels().size(), seed)
                : GridSearch.eachBatches(candidates, seed);
    }

    /** The plan of the train stage's search for {@code input} (complete and checked) on its training set. */
    public static SearchPlan of(StageEvent input, TrainingSet data) {
        return new SearchPlan(input, data);
    }

    public TrainingSet data() {
        return data;
    }

    public boolean sharedTrees() {
        return sharedTrees;
    }

    /** The candidates when they share trees, else empty. */
    public List<ForestParams> forests() {
        return forests;
    }

    public List<? extends HyperParams> candidates() {
        return candidates;
    }

    public int folds() {
        return folds;
    }

    public long seed() {
        return seed;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Every unit, batch by batch, fold by fold. */
    public List<SearchWork> units() {
        List<SearchWork> units = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            for (int f = 0; f < folds; f++) {
                units.add(new SearchWork(b, f));
            }
        }
        return units;
    }

    /**
     * The cross-validation folds, split once per plan.
     *
     * @throws IllegalArgumentException when the data cannot be split into that many (stratified) folds
     */
    synchronized GridSearch.Fold[] split() {
        if (split == null) {
            split = GridSearch.Fold.split(data, candidates, folds);
        }
        return split;
    }

    /** Fits and scores one unit's candidates on its fold (Smile's tree parallelism joins the caller's pool). */
    public UnitScore score(SearchWork unit, String scoredBy) {
        GridSearch.Batch batch = batches.get(unit.batch());
        double[][] scores = new double[candidates.size()][folds];
        double[][] fitSeconds = new double[candidates.size()][folds];
        batch.scorer().score(split()[unit.fold()], unit.fold(), scores, fitSeconds);
        List<Integer> members = batch.members();
        return new UnitScore(fingerprint, unit.id(), members,
                members.stream().mapToDouble(c -> scores[c][unit.fold()]).toArray(),
                members.stream().mapToDouble(c -> fitSeconds[c][unit.fold()]).toArray(), scoredBy);
    }

    /** Candidates whose every fold is among {@code unitsDone}, for progress. */
    public int candidatesDone(Set<String> unitsDone) {
        int done = 0;
        for (int b = 0; b < batches.size(); b++) {
            int batch = b;
            if (IntStream.range(0, folds).allMatch(f -> unitsDone.contains(new SearchWork(batch, f).id()))) {
                done += batches.get(b).members().size();
            }
        }
        return done;
    }

    /** Every candidate's score from every unit's, in grid order, as the in-process search reports them. */
    public GridSearchResult aggregate(Collection<UnitScore> units, double seconds) {
        double[][] scores = new double[candidates.size()][folds];
        double[][] fitSeconds = new double[candidates.size()][folds];
        for (UnitScore unit : units) {
            int fold = SearchWork.parse(unit.unit()).fold();
            for (int i = 0; i < unit.candidates().size(); i++) {
                scores[unit.candidates().get(i)][fold] = unit.scores()[i];
                fitSeconds[unit.candidates().get(i)][fold] = unit.fitSeconds()[i];
            }
        }
        Map<Integer, CandidateScore> all = new HashMap<>();
        batches.forEach(batch -> all.putAll(batch.results(candidates, scores, fitSeconds)));
        return new GridSearchResult(IntStream.range(0, candidates.size()).mapToObj(all::get).toList(), folds, seconds);
    }

    @Override
    public String toString() {
        return candidates.size() + " candidates x " + folds + " folds in " + batches.size() * folds + " units"
                + (sharedTrees ? " (shared trees)" : "") + ", fingerprint " + fingerprint.substring(0, 12);
    }
}
