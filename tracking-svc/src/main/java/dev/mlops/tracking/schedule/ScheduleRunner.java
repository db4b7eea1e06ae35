package dev.mlops.tracking.schedule;

import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.repository.RunRepository;
import dev.mlops.tracking.service.PipelineLauncher;
import dev.mlops.tracking.service.InvalidState;
import dev.mlops.tracking.service.PipelineNotRequested;
import dev.mlops.tracking.service.RunStops;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the runs of due schedules. Each tick is claimed in one transaction: the schedule's row is locked (rows
 * other replicas hold are skipped) and its next tick moved past now, so a tick starts at most one run however
 * many replicas claim at once, and ticks missed while tracking-svc was down start one run, not one per tick.
 * The run itself is started after that commit, through the same launcher as POST /pipelines (with Replace, after
 * the previous run, if it still runs, was stopped through the same stop as POST /pipelines/{id}/stop).
 */
@ApplicationScoped
public class ScheduleRunner {

    /** The tag on every run a schedule started: the schedule's name. */
    public static final String TAG_SCHEDULE = "mlops.schedule";

    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);

    private final ScheduleRepository schedules;
    private final RunRepository runs;
    private final PipelineLauncher launcher;
    private final RunStops stops;

    public ScheduleRunner(ScheduleRepository schedules, RunRepository runs, PipelineLauncher launcher,
                          RunStops stops) {
        this.schedules = schedules;
        this.runs = runs;
        this.launcher = launcher;
        this.stops = stops;
    }

    /**
     * What one claimed tick does: start a run, after stopping the previous one if it still runs ({@code replaces},
     * Replace), or skip because the previous one still runs (Forbid).
     */
    record Tick(long scheduleId, String name, PipelineSpec spec, boolean skipped, String replaces) {
    }

    /** Fires every schedule due at {@code now}; @return how many ticks this call claimed */
    public int runDue(Instant now) {
        int claimed = 0;
        for (Optional<Tick> tick = claim(now); tick.isPresent(); tick = claim(now)) {
            claimed++;
            if (!tick.get().skipped()) {
                start(tick.get());
            }
        }
        return claimed;
    }

    /** Claims the next due schedule's tick, if any: decides it, and moves the schedule's next tick past now. */
    Optional<Tick> claim(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> schedules.lockNextDue(now).map(schedule -> {
            boolean lastRunning = lastRunRunning(schedule);
            boolean skipped = lastRunning && schedule.concurrencyPolicy == ConcurrencyPolicy.Forbid;
            String replaces = lastRunning && schedule.concurrencyPolicy == ConcurrencyPolicy.Replace
                    ? schedule.lastRunId : null;
            if (skipped) {
                schedule.lastSkippedAt = now;
                LOG.infof("schedule '%s': tick skipped, its run %s is still RUNNING (concurrencyPolicy Forbid)",
                        schedule.name, schedule.lastRunId);
            } else {
                schedule.lastRunAt = now;
            }
            schedule.nextRunAt = CronSchedule.of(schedule.cron, schedule.timezone).next(now).orElse(null);
            return new Tick(schedule.id, schedule.name, Json.read(schedule.spec, PipelineSpec.class), skipped,
                    replaces);
        }));
    }

    /** Stops the run a Replace tick replaces; one that has ended meanwhile is left as it is. */
    private void stopReplaced(Tick tick) {
        try {
            stops.stop(tick.replaces(), "schedule '" + tick.name() + "' (concurrencyPolicy Replace)");
        } catch (InvalidState e) {
            LOG.infof("schedule '%s': run %s ended before it was replaced", tick.name(), tick.replaces());
        } catch (RuntimeException e) {
            LOG.warnf("schedule '%s': could not stop run %s to replace it (the new run starts all the same): %s",
                    tick.name(), tick.replaces(), e.toString());
        }
    }

    private boolean lastRunRunning(Schedule schedule) {
        Run last = schedule.lastRunId == null ? null : runs.findById(schedule.lastRunId);
        return last != null && last.status == RunStatus.RUNNING;
    }

    private void start(Tick tick) {
        if (tick.replaces() != null) {
            stopReplaced(tick);
        }
        String runId = null;
        String error = null;
        try {
            runId = launcher.start(tick.spec(), Map.of(TAG_SCHEDULE, tick.name()));
            LOG.infof("schedule '%s' started run %s", tick.name(), runId);
        } catch (PipelineNotRequested e) {
            runId = e.runId();
            error = e.getMessage();
        } catch (RuntimeException e) {
            error = "the run could not be started: " + e;
            LOG.errorf(e, "schedule '%s': %s", tick.name(), error);
        }
        String startedRun = runId;
        String startError = error;
        QuarkusTransaction.requiringNew().run(() -> {
            Schedule schedule = schedules.findById(tick.scheduleId());
            if (schedule != null) {
                schedule.lastRunId = startedRun == null ? schedule.lastRunId : startedRun;
                schedule.lastError = startError;
            }
        });
    }
}
