package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.LifecycleStage;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunMetric;
import dev.mlops.tracking.RunParam;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.RunTag;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.RunMetricRepository;
import dev.mlops.tracking.repository.RunParamRepository;
import dev.mlops.tracking.repository.RunQuery;
import dev.mlops.tracking.repository.RunSearchRepository;
import dev.mlops.tracking.repository.RunRepository;
import dev.mlops.tracking.repository.RunTagRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs as MLflow clients drive them: created in an experiment, renamed, ended, deleted and restored (soft), tags
 * removed. Logging goes through {@link RunService#logBatch}, so pipeline runs and these share one set of rules.
 */
@ApplicationScoped
public class TrackedRuns {

    /** MLflow keeps a run's name in this tag too. */
    public static final String TAG_RUN_NAME = "mlflow.runName";

    private final RunService runService;
    private final ExperimentService experiments;
    private final RunRepository runs;
    private final RunParamRepository params;
    private final RunMetricRepository metrics;
    private final RunTagRepository tags;
    private final Locks locks;
    private final RunSearchRepository search;

    public TrackedRuns(RunService runService, ExperimentService experiments, RunRepository runs,
                       RunParamRepository params, RunMetricRepository metrics, RunTagRepository tags, Locks locks,
                       RunSearchRepository search) {
        this.runService = runService;
        this.experiments = experiments;
        this.runs = runs;
        this.params = params;
        this.metrics = metrics;
        this.tags = tags;
        this.locks = locks;
        this.search = search;
    }

    /** A run with the latest point of each metric, its params and its tags (by key). */
    public record LoggedRun(Run run, List<RunMetric> latestMetrics, Map<String, String> params,
                            Map<String, String> tags) {
    }

    /**
     * @param runName   null: the tag mlflow.runName if given, else a generated name
     * @param startTime epoch milliseconds; null: now
     */
    @Transactional
    public Run create(long experimentId, String userId, String runName, Long startTime, Map<String, String> runTags) {
        experiments.requireActive(experimentId);
        String nameTag = runTags.get(TAG_RUN_NAME);
        if (runName != null && nameTag != null && !runName.equals(nameTag)) {
            throw new InvalidInput("run_name", "run_name '" + Text.quote(runName) + "' differs from the tag "
                    + TAG_RUN_NAME + " '" + Text.quote(nameTag) + "': give one name");
        }
        String name = runName != null ? runName : nameTag != null ? nameTag : generatedName();
        Map<String, String> allTags = new TreeMap<>(runTags);
        allTags.put(TAG_RUN_NAME, name);
        Run run = new Run();
        run.id = UUID.randomUUID().toString().replace("-", "");
        run.experimentId = experimentId;
        run.name = requireName(name);
        run.userId = userId;
        run.status = RunStatus.RUNNING;
        run.createdAt = startTime == null ? DbClock.now() : Instant.ofEpochMilli(startTime);
        runs.persist(run);
        runService.logBatch(run.id, new LogBatch(List.of(), List.of(),
                allTags.entrySet().stream().map(t -> new LogBatch.Tag(t.getKey(), t.getValue())).toList()));
        return run;
    }

    /** One page of runs/search; {@code more}: a next page exists. */
    public record Found(List<LoggedRun> runs, boolean more) {
    }

    @Transactional
    public Found search(RunQuery query) {
        List<String> ids = search.ids(query);
        boolean more = ids.size() > query.limit();
        return new Found(read(ids.subList(0, Math.min(ids.size(), query.limit()))), more);
    }

    @Transactional
    public LoggedRun read(String runId) {
        runService.require(runId);
        return read(List.of(runId)).get(0);
    }

    /** The runs with what they logged, in the order of {@code runIds}, in four queries whatever their number. */
    private List<LoggedRun> read(List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        Map<String, Run> byId = runs.list("id in ?1", runIds).stream().collect(Collectors.toMap(r -> r.id, r -> r));
        Map<String, List<RunMetric>> latest = metrics.latestPoints(runIds).stream()
                .collect(Collectors.groupingBy(m -> m.runId));
        Map<String, List<RunParam>> paramsByRun = params.forRuns(runIds).stream()
                .collect(Collectors.groupingBy(p -> p.runId));
        Map<String, List<RunTag>> tagsByRun = tags.forRuns(runIds).stream().collect(Collectors.groupingBy(t -> t.runId));
        return runIds.stream().map(id -> new LoggedRun(byId.get(id), latest.getOrDefault(id, List.of()),
                RunService.sorted(paramsByRun.getOrDefault(id, List.of()), p -> p.key, p -> p.value),
                RunService.sorted(tagsByRun.getOrDefault(id, List.of()), t -> t.key, t -> t.value))).toList();
    }

    /**
     * @param status  null: unchanged; a finished status also sets the end time
     * @param endTime epoch milliseconds; null: now, when the status is a finished one
     * @param runName null: unchanged
     */
    @Transactional
    public Run update(String runId, RunStatus status, Long endTime, String runName) {
        locks.lockRun(runId);
        Run run = runService.require(runId);
        RunService.requireActive(run);
        if (status != null) {
            run.status = status;
            run.finishedAt = !status.finished() ? null
                    : endTime == null ? DbClock.now() : Instant.ofEpochMilli(endTime);
        } else if (endTime != null) {
            run.finishedAt = Instant.ofEpochMilli(endTime);
        }
        if (runName != null && !runName.isEmpty()) {
            run.name = requireName(runName);
            tags.upsert(runId, TAG_RUN_NAME, runName);
        }
        return run;
    }

    /** Marks the run deleted (deleted: true) or active again (false). */
    @Transactional
    public void setDeleted(String runId, boolean deleted) {
        locks.lockRun(runId);
        Run run = runService.require(runId);
        run.lifecycleStage = deleted ? LifecycleStage.DELETED : LifecycleStage.ACTIVE;
    }

    @Transactional
    public void deleteTag(String runId, String key) {
        locks.lockRun(runId);
        RunService.requireActive(runService.require(runId));
        if (!tags.delete(runId, key)) {
            throw new NotFound("run " + runId + " has no tag '" + Text.quote(key) + "'");
        }
    }

    private static String requireName(String name) {
        if (name.length() > 250) {
            throw new InvalidInput("run_name", "run_name is longer than 250 characters");
        }
        return name;
    }

    private static String generatedName() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
