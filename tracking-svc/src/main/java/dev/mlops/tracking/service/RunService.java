package dev.mlops.tracking.service;

import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.LifecycleStage;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunMetric;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.config.BuildInfo;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.ExperimentRepository;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.RunArtifactRepository;
import dev.mlops.tracking.repository.RunMetricRepository;
import dev.mlops.tracking.repository.RunParamRepository;
import dev.mlops.tracking.repository.RunRepository;
import dev.mlops.tracking.repository.RunTagRepository;
import dev.mlops.tracking.repository.StageExecutionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Runs and what is logged for them: creation, reading, MLflow-style log-batch and metric history. */
@ApplicationScoped
public class RunService {

    public static final String TAG_PLATFORM_VERSION = "mlops.platform.version";
    public static final String TAG_GIT_COMMIT = "mlops.source.git.commit";
    public static final String TAG_SPEC_NAME = "mlops.spec.name";

    public static final int MAX_PAGE_SIZE = 100;
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    static final int MAX_BATCH_ENTRIES = 1000;
    static final int MAX_BATCH_METRICS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-./ :]+");

    private final RunRepository runs;
    private final ExperimentRepository experiments;
    private final StageExecutionRepository executions;
    private final RunParamRepository params;
    private final RunMetricRepository metrics;
    private final RunTagRepository tags;
    private final RunArtifactRepository artifacts;
    private final Locks locks;
    private final BuildInfo buildInfo;

    public RunService(RunRepository runs, ExperimentRepository experiments, StageExecutionRepository executions,
                      RunParamRepository params, RunMetricRepository metrics, RunTagRepository tags,
                      RunArtifactRepository artifacts, Locks locks, BuildInfo buildInfo) {
        this.runs = runs;
        this.experiments = experiments;
        this.executions = executions;
        this.params = params;
        this.metrics = metrics;
        this.tags = tags;
        this.artifacts = artifacts;
        this.locks = locks;
        this.buildInfo = buildInfo;
    }

    /** Records a new RUNNING run of {@code spec} (a complete, validated spec) in the experiment named after it. */
    @Transactional
    public Run create(String runId, PipelineSpec spec) {
        return create(runId, spec, Map.of());
    }

    /** {@link #create(String, PipelineSpec)} with more tags (such as the schedule that started it). */
    @Transactional
    public Run create(String runId, PipelineSpec spec, Map<String, String> moreTags) {
        Run run = new Run();
        run.id = runId;
        run.experimentId = experiments.getOrCreate(spec.name()).id;
        run.name = spec.name();
        run.status = RunStatus.RUNNING;
        run.spec = Json.write(spec);
        run.createdAt = DbClock.now();
        runs.persist(run);
        tags.upsert(runId, TAG_PLATFORM_VERSION, buildInfo.version());
        tags.upsert(runId, TAG_GIT_COMMIT, buildInfo.gitCommit());
        tags.upsert(runId, TAG_SPEC_NAME, spec.name());
        moreTags.forEach((key, value) -> tags.upsert(runId, key, value));
        return run;
    }

    @Transactional
    public void markFailed(String runId, String error) {
        locks.lockRun(runId);
        Run run = require(runId);
        run.status = RunStatus.FAILED;
        run.error = error;
        run.finishedAt = DbClock.now();
    }

    @Transactional
    public RunDetails details(String runId) {
        Run run = require(runId);
        return new RunDetails(run, spec(run), executions.forRun(runId),
                sorted(params.forRun(runId), p -> p.key, p -> p.value),
                new TreeMap<>(metrics.latest(runId)),
                sorted(tags.forRun(runId), t -> t.key, t -> t.value),
                sorted(artifacts.forRun(runId), a -> a.name, a -> a.uri));
    }

    public record Page(List<Run> runs, long total) {
    }

    /** @param status only runs in this status; null for every run */
    @Transactional
    public Page page(RunStatus status, int page, int size) {
        if (page < 0) {
            throw new InvalidInput("page", "page must be 0 or more, got " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInput("size", "size must be 1 to " + MAX_PAGE_SIZE + ", got " + size);
        }
        return new Page(runs.newestFirst(status, page, size), runs.count(status));
    }

    @Transactional
    public void logBatch(String runId, LogBatch batch) {
        validate(batch);
        // metric points are idempotent by key and refresh the latest table by comparison, so batches of metrics alone
        // interleave safely with each other; params (read, then written) and tags need the run to themselves
        if (batch.params().isEmpty() && batch.tags().isEmpty()) {
            locks.lockRunShared(runId);
        } else {
            locks.lockRun(runId);
        }
        requireActive(require(runId));
        long now = System.currentTimeMillis();
        metrics.addPoints(runId, batch.metrics().stream().map(m -> new RunMetricRepository.Point(m.key(), m.value(),
                m.step() == null ? 0 : m.step(), m.timestamp() == null ? now : m.timestamp())).toList());
        // params are immutable, as in MLflow: logging the same value again is fine, another value is refused
        Map<String, String> logged = batch.params().isEmpty() ? Map.of()
                : sorted(params.forRun(runId), p -> p.key, p -> p.value);
        for (int i = 0; i < batch.params().size(); i++) {
            LogBatch.Param p = batch.params().get(i);
            String before = logged.putIfAbsent(p.key(), p.value());
            if (before == null) {
                params.upsert(runId, p.key(), p.value());
            } else if (!before.equals(p.value())) {
                throw new InvalidInput("params[" + i + "].value", "param '" + p.key() + "' of run " + runId
                        + " is already logged with another value: params cannot be changed once logged");
            }
        }
        batch.tags().forEach(t -> tags.upsert(runId, t.key(), t.value()));
    }

    /** Every point of the metric, by step then timestamp; none if the run never logged it. */
    @Transactional
    public List<RunMetric> history(String runId, String key) {
        require(runId);
        return metrics.history(runId, key);
    }

    /** Like {@link #history}, but a metric the run never logged is not found. */
    @Transactional
    public List<RunMetric> metricHistory(String runId, String key) {
        List<RunMetric> history = history(runId, key);
        if (history.isEmpty()) {
            throw new NotFound("run " + runId + " has no metric '" + Text.quote(key) + "' (it has: "
                    + Text.quote(String.join(", ", metrics.keys(runId))) + ")");
        }
        return history;
    }

    /** The pipeline spec of a pipeline run; a run created through the MLflow API has none (InvalidState). */
    static PipelineSpec spec(Run run) {
        if (run.spec == null) {
            throw new InvalidState("run " + run.id + " was created through the MLflow API and is no pipeline run:"
                    + " read it at /api/2.0/mlflow/runs/get?run_id=" + run.id);
        }
        return Json.read(run.spec, PipelineSpec.class);
    }

    /** MLflow's rule: a deleted run is read, restored or deleted for good, but nothing is logged to it. */
    static void requireActive(Run run) {
        if (!LifecycleStage.ACTIVE.equals(run.lifecycleStage)) {
            throw new InvalidInput("run_id", "the run " + run.id + " must be in the 'active' state; it is "
                    + run.lifecycleStage);
        }
    }

    /** The run, which must exist (else NotFound). */
    @Transactional
    public Run require(String runId) {
        Run run = runId.length() > Run.MAX_ID_LENGTH ? null : runs.findById(runId);
        if (run == null) {
            throw new NotFound("no run with id '" + Text.quote(runId) + "'");
        }
        return run;
    }

    private static void validate(LogBatch batch) {
        requireAtMost("metrics", batch.metrics().size(), MAX_BATCH_METRICS);
        requireAtMost("params", batch.params().size(), MAX_BATCH_PARAMS);
        requireAtMost("tags", batch.tags().size(), MAX_BATCH_TAGS);
        int entries = batch.metrics().size() + batch.params().size() + batch.tags().size();
        if (entries > MAX_BATCH_ENTRIES) {
            throw new InvalidInput("", "a batch holds at most " + MAX_BATCH_ENTRIES + " entries, got " + entries);
        }
        for (int i = 0; i < batch.metrics().size(); i++) {
            LogBatch.Metric m = batch.metrics().get(i);
            String field = "metrics[" + i + "]";
            requireKey(field, m == null ? null : m.key());
            if (m.value() == null) {
                throw new InvalidInput(field + ".value", field + ".value is missing: a metric needs a number");
            }
            if (!Double.isFinite(m.value())) {
                throw new InvalidInput(field + ".value", field + ".value must be a finite number, got " + m.value());
            }
        }
        for (int i = 0; i < batch.params().size(); i++) {
            LogBatch.Param p = batch.params().get(i);
            String field = "params[" + i + "]";
            requireKey(field, p == null ? null : p.key());
            requireValue(field, p.value(), MAX_PARAM_VALUE_LENGTH);
        }
        for (int i = 0; i < batch.tags().size(); i++) {
            LogBatch.Tag t = batch.tags().get(i);
            String field = "tags[" + i + "]";
            requireKey(field, t == null ? null : t.key());
            requireValue(field, t.value(), MAX_TAG_VALUE_LENGTH);
        }
    }

    /** MLflow's per-kind batch limits (metrics 1000, params 100, tags 100). */
    private static void requireAtMost(String field, int count, int limit) {
        if (count > limit) {
            throw new InvalidInput(field, "a batch holds at most " + limit + " " + field + ", got " + count
                    + ": split them across several requests");
        }
    }

    static void requireKey(String entry, String key) {
        String field = entry + ".key";
        if (key == null || key.isBlank()) {
            throw new InvalidInput(field, field + " is missing");
        }
        if (key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
            throw new InvalidInput(field, field + " must be 1-" + MAX_KEY_LENGTH
                    + " letters, digits, '_', '-', '.', '/', ':' or spaces, got '" + Text.quote(key) + "'");
        }
        // MLflow's rule: keys may become file paths, so none may name the same path as another ("a//b", "a/./b")
        if (Arrays.stream(key.split("/", -1)).anyMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."))) {
            throw new InvalidInput(field, field + " '" + Text.quote(key) + "' is not a plain path: no empty, '.' or"
                    + " '..' part between slashes, none at either end");
        }
    }

    static void requireValue(String entry, String value, int maxLength) {
        String field = entry + ".value";
        if (value == null) {
            throw new InvalidInput(field, field + " is missing");
        }
        if (value.length() > maxLength) {
            throw new InvalidInput(field, field + " is longer than " + maxLength + " characters");
        }
    }

    static <T> Map<String, String> sorted(List<T> items, Function<T, String> key, Function<T, String> value) {
        Map<String, String> map = new TreeMap<>();
        items.forEach(item -> map.put(key.apply(item), value.apply(item)));
        return map;
    }
}
