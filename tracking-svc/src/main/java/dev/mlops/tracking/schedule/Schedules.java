package dev.mlops.tracking.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.InvalidSpecException;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.PipelineSpecs;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.config.PipelineConfig;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.service.AlreadyExists;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Schedules: created, read, changed (suspend, resume, a new expression, policy or spec) and deleted. Everything a
 * request gives is checked before anything is stored; the spec is read and validated as POST /pipelines does.
 */
@ApplicationScoped
public class Schedules {

    public static final String DEFAULT_TIMEZONE = "UTC";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final ScheduleRepository schedules;
    private final Locks locks;
    private final PipelineConfig config;
    private final WorkLimits limits;

    public Schedules(ScheduleRepository schedules, Locks locks, PipelineConfig config, WorkLimits limits) {
        this.schedules = schedules;
        this.locks = locks;
        this.config = config;
        this.limits = limits;
    }

    @Transactional
    public ScheduleView create(ScheduleRequest request) {
        String name = name(request.name());
        if (request.cron() == null) {
            throw new InvalidInput("cron", "cron is required: five fields (minute hour day-of-month month"
                    + " day-of-week), e.g. '0 2 * * *', or @hourly, @daily, @weekly, @monthly, @yearly");
        }
        String timezone = request.timezone() == null ? DEFAULT_TIMEZONE : request.timezone();
        CronSchedule ticks = CronSchedule.of(request.cron(), timezone);
        ConcurrencyPolicy policy = request.concurrencyPolicy() == null ? ConcurrencyPolicy.Allow
                : policy(request.concurrencyPolicy());
        PipelineSpec spec = spec(request.spec());
        locks.lockSchedule(name);
        if (schedules.findByName(name).isPresent()) {
            throw new AlreadyExists("schedule '" + name + "' already exists: change it with PATCH /schedules/" + name
                    + ", or delete it first");
        }
        Schedule schedule = new Schedule();
        schedule.name = name;
        schedule.cron = request.cron();
        schedule.timezone = timezone;
        schedule.concurrencyPolicy = policy;
        schedule.suspended = Boolean.TRUE.equals(request.suspend());
        schedule.spec = Json.write(spec);
        schedule.createdAt = DbClock.now();
        Instant firstTick = ticks.firstAfter(schedule.createdAt, request.cron());
        schedule.nextRunAt = schedule.suspended ? null : firstTick;
        schedules.persist(schedule);
        return ScheduleView.of(schedule);
    }

    @Transactional
    public List<ScheduleView> list() {
        return schedules.byName().stream().map(ScheduleView::of).toList();
    }

    @Transactional
    public ScheduleView get(String name) {
        return ScheduleView.of(require(name, LockModeType.NONE));
    }

    /**
     * Changes the fields the request gives. A new expression or time zone, or a resume, sets the next tick from
     * now: ticks missed while suspended are not started.
     */
    @Transactional
    public ScheduleView update(String name, ScheduleRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw new InvalidInput("name", "a schedule's name cannot be changed: create one under the new name and"
                    + " delete '" + Text.quote(name) + "'");
        }
        Schedule schedule = require(name, LockModeType.PESSIMISTIC_WRITE);
        String cron = request.cron() == null ? schedule.cron : request.cron();
        String timezone = request.timezone() == null ? schedule.timezone : request.timezone();
        Instant nextTick = CronSchedule.of(cron, timezone).firstAfter(DbClock.now(), cron);
        ConcurrencyPolicy policy = request.concurrencyPolicy() == null ? schedule.concurrencyPolicy
                : policy(request.concurrencyPolicy());
        String spec = request.spec() == null ? schedule.spec : Json.write(spec(request.spec()));
        boolean suspended = request.suspend() == null ? schedule.suspended : request.suspend();
        boolean retimed = !cron.equals(schedule.cron) || !timezone.equals(schedule.timezone)
                || suspended != schedule.suspended;
        schedule.cron = cron;
        schedule.timezone = timezone;
        schedule.concurrencyPolicy = policy;
        schedule.spec = spec;
        schedule.suspended = suspended;
        if (suspended) {
            schedule.nextRunAt = null;
        } else if (retimed) {
            schedule.nextRunAt = nextTick;
        }
        return ScheduleView.of(schedule);
    }

    /** Deletes the schedule; the runs it started stay. */
    @Transactional
    public void delete(String name) {
        schedules.delete(require(name, LockModeType.PESSIMISTIC_WRITE));
    }

    private Schedule require(String name, LockModeType lock) {
        return schedules.find("name", name).withLock(lock).firstResultOptional()
                .orElseThrow(() -> new NotFound("no schedule named '" + Text.quote(name) + "'"));
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInput("name", "name must be 1-64 letters, digits, '.', '_' or '-' starting with a letter"
                    + " or digit, got " + (name == null ? "none" : "'" + Text.quote(name) + "'"));
        }
        return name;
    }

    private static ConcurrencyPolicy policy(String policy) {
        return Arrays.stream(ConcurrencyPolicy.values()).filter(p -> p.name().equals(policy)).findFirst()
                .orElseThrow(() -> new InvalidInput("concurrencyPolicy", "concurrencyPolicy must be one of "
                        + Arrays.toString(ConcurrencyPolicy.values()) + ", got '" + Text.quote(policy) + "'"));
    }

    /** The spec as POST /pipelines reads it (none: the default pipeline), its errors named under {@code spec.}. */
    private PipelineSpec spec(JsonNode spec) {
        try {
            return PipelineSpecs.parse(spec == null ? "{}" : spec.toString(), config.defaultDatasetUri(), limits);
        } catch (InvalidSpecException e) {
            String field = e.field() == null || e.field().isEmpty() ? "spec" : "spec." + e.field();
            throw new InvalidInput(field, "spec: " + e.getMessage());
        }
    }
}
