package dev.mlops.train.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.estimator.Estimators;
import dev.mlops.model.estimator.HyperParams;
import dev.mlops.model.estimator.TrainedModel;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.StageWork.ProgressListener;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The train stage: grid search with cross-validation on preprocess's training split, refit of the best candidate on
 * the whole split, the model bundle stored under {@code model/}, and a new version of the registered model.
 */
public class TrainService {

    public static final String CV_RESULTS = "model/cv_results.csv";
    static final String MODEL_DIR = "model";

    private static final Logger LOG = Logger.getLogger(TrainService.class);

    private final ArtifactStore store;
    private final GridSearch gridSearch;
    private final ModelRegistry registry;
    private final MetricLog metricLog;
    private final Duration progressInterval;
    private final Duration checkpointInterval;
    private final FannedOutSearch fannedOut;

    public TrainService(ArtifactStore store, GridSearch gridSearch, ModelRegistry registry, MetricLog metricLog,
                        Duration progressInterval, Duration checkpointInterval) {
        this(store, gridSearch, registry, metricLog, progressInterval, checkpointInterval, null);
    }

    /** @param fannedOut shares the search out over the replicas when enough of them run; null: always in-process */
    public TrainService(ArtifactStore store, GridSearch gridSearch, ModelRegistry registry, MetricLog metricLog,
                        Duration progressInterval, Duration checkpointInterval, FannedOutSearch fannedOut) {
        this.fannedOut = fannedOut;
        this.store = store;
        this.gridSearch = gridSearch;
        this.registry = registry;
        this.metricLog = metricLog;
        this.progressInterval = progressInterval;
        this.checkpointInterval = checkpointInterval;
    }

    public StageResult train(StageEvent input, ProgressListener progress) {
        PipelineSpec spec = input.spec(); // complete and within the work limits: checked by the stage runner
        TrainingInputs inputs = TrainingInputs.read(input, store);
        TrainingSet training = inputs.training();
        String type = spec.model().type();
        SearchPlan plan = SearchPlan.of(input, training);
        boolean sharedTrees = plan.sharedTrees();
        List<? extends HyperParams> candidates = plan.candidates();
        int folds = plan.folds();
        long seed = plan.seed();

        StoredCheckpoint checkpoint = StoredCheckpoint.open(store, input.runId(), input.attempt(), plan.fingerprint(),
                candidates, folds, checkpointInterval);
        GridSearchResult search;
        int replicas = 1;
        ThrottledProgress throttled = new ThrottledProgress(progress, progressInterval);
        try {
            if (fannedOut != null && fannedOut.worthIt()) {
                replicas = fannedOut.replicas();
                search = fannedOut.run(input, plan, throttled);
                keep(checkpoint, search);
            } else {
                search = sharedTrees
                        ? gridSearch.run(training, plan.forests(), folds, seed, throttled, checkpoint)
                        : gridSearch.runEach(training, candidates, folds, seed, throttled, checkpoint);
            }
        } catch (IllegalArgumentException e) {
            throw new StageFailure(e.getMessage(), e);
        }
        CandidateScore best = search.best();
        String task = training.regression() ? PipelineSpec.REGRESSION : PipelineSpec.CLASSIFICATION;
        LOG.infof("run %s: %s %s, best of %d candidates (%d resumed from the checkpoint, which took %s) in %.1f s: %s,"
                        + " mean CV %s %.4f", input.runId(), type, task, candidates.size(), checkpoint.restored().size(),
                checkpoint.writeStats(), search.seconds(), best.params(), training.regression() ? "R²" : "accuracy",
                best.meanScore());

        long refitStart = System.nanoTime();
        TrainedModel model = training.regression()
                ? Estimators.fitRegressor(best.params(), training.x(), training.values(), seed)
                : Estimators.fitClassifier(best.params(), training.x(), training.y(), seed);
        double refitSeconds = (System.nanoTime() - refitStart) / 1e9;

        ModelBundle bundle = ModelBundle.of(model, inputs.preprocessor(), spec.target(), training.classLabels(),
                metadata(input, type, best, search, training, seed));
        Map<String, String> artifacts = new LinkedHashMap<>();
        bundle.toFiles().forEach((path, content) -> artifacts.put(path, put(input, path, content, contentType(path))));
        artifacts.put(CV_RESULTS, put(input, CV_RESULTS, CvResultsCsv.of(search).toBytes(), "text/csv"));

        // the interrupted search's start time: a resumed run logs the same points again, not a second history
        metricLog.log(input.runId(), cvHistory(search), checkpoint.startedAtMillis());
        String modelName = spec.model().name();
        String modelUri = ArtifactUri.forRun(store.bucket(), input.runId(), MODEL_DIR).toString();
        int version = registry.registerVersion(modelName, input.runId(), modelUri, input.attempt());

        Map<String, String> params = new LinkedHashMap<>(best.params().asSklearnParams());
        params.put("model_name", modelName);
        params.put("model_version", Integer.toString(version));
        params.put("model_uri", modelUri);
        params.put("cv_folds", Integer.toString(folds));
        params.put("model_type", type);
        params.put("task", task);
        params.put("shared_trees", Boolean.toString(sharedTrees));
        return new StageResult(artifacts, Map.of(
                "best_cv_score", best.meanScore(),
                "best_cv_std", best.stdScore(),
                "grid_candidates", (double) candidates.size(),
                "grid_search_seconds", search.seconds(),
                "grid_search_replicas", (double) replicas,
                "refit_seconds", refitSeconds,
                "training_rows", (double) training.rows()), params);
    }

    /** The fanned-out search's scores in the run's checkpoint too, which keeps its start time for a retry. */
    private static void keep(StoredCheckpoint checkpoint, GridSearchResult search) {
        Map<Integer, CandidateScore> all = new LinkedHashMap<>();
        for (int i = 0; i < search.candidates().size(); i++) {
            all.put(i, search.candidates().get(i));
        }
        checkpoint.scored(all);
        checkpoint.flush();
    }

    private Map<String, String> metadata(StageEvent input, String type, CandidateScore best, GridSearchResult search,
                                         TrainingSet training, long seed) {
        Map<String, String> metadata = new LinkedHashMap<>(best.params().asSklearnParams());
        metadata.put("model_type", type);
        metadata.put("run_id", input.runId());
        metadata.put("attempt", Integer.toString(input.attempt()));
        metadata.put("best_cv_score", Double.toString(best.meanScore()));
        metadata.put("cv_folds", Integer.toString(search.folds()));
        metadata.put("grid_candidates", Integer.toString(search.candidates().size()));
        metadata.put("random_seed", Long.toString(seed));
        metadata.put("training_rows", Integer.toString(training.rows()));
        metadata.put("feature_names", Json.write(training.featureNames()));
        if (!training.regression()) {
            metadata.put("class_labels", Json.write(training.classLabels()));
        }
        metadata.put("trained_by", "train-svc");
        return metadata;
    }

    private static List<MetricLog.Point> cvHistory(GridSearchResult search) {
        List<MetricLog.Point> points = new ArrayList<>();
        for (int i = 0; i < search.candidates().size(); i++) {
            CandidateScore candidate = search.candidates().get(i);
            points.add(new MetricLog.Point("cv_mean_test_score", candidate.meanScore(), i));
            points.add(new MetricLog.Point("cv_std_test_score", candidate.stdScore(), i));
        }
        return points;
    }

    private String put(StageEvent input, String path, byte[] content, String contentType) {
        URI uri = store.put(input.runId(), path, content, contentType);
        return uri.toString();
    }

    private static String contentType(String path) {
        if (path.endsWith(".json")) {
            return "application/json";
        }
        if (path.endsWith(".csv")) {
            return "text/csv";
        }
        if (path.endsWith("MLmodel")) {
            return "text/yaml";
        }
        return "application/octet-stream";
    }
}
