package dev.mlops.tracking.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.definition.CronNicknames;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A schedule's ticks: a standard five-field Unix cron expression (minute hour day-of-month month day-of-week, as
 * Kubernetes' CronJob and Argo's CronWorkflow read it) or one of their nicknames ({@code @hourly}, {@code @daily},
 * {@code @midnight}, {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually}), in a time zone.
 * Parsed by cron-utils.
 */
final class CronSchedule {

    private static final CronParser PARSER = new CronParser(unixWithNicknames());

    private final ExecutionTime executionTime;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime executionTime, ZoneId zone) {
        this.executionTime = executionTime;
        this.zone = zone;
    }

    /** The schedule of {@code cron} in {@code timezone}; InvalidInput naming {@code cron} or {@code timezone}. */
    static CronSchedule of(String cron, String timezone) {
        ZoneId zone = zone(timezone);
        Cron parsed;
        try {
            parsed = PARSER.parse(cron.trim());
            parsed.validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("cron", "cron '" + Text.quote(cron) + "' is not a cron expression: "
                    + Text.quote(e.getMessage()) + " (five fields: minute hour day-of-month month day-of-week, e.g."
                    + " '0 2 * * *'; or @hourly, @daily, @weekly, @monthly, @yearly)");
        }
        return new CronSchedule(ExecutionTime.forCron(parsed), zone);
    }

    /** The first tick after {@code now}; InvalidInput naming {@code cron} when there is none (30 February). */
    Instant firstAfter(Instant now, String cron) {
        return next(now).orElseThrow(() ->
                new InvalidInput("cron", "cron '" + Text.quote(cron) + "' never fires (no such date)"));
    }

    /** The first tick strictly after {@code after}; empty if the expression has none. */
    Optional<Instant> next(Instant after) {
        return executionTime.nextExecution(after.atZone(zone)).map(time -> time.toInstant());
    }

    private static ZoneId zone(String timezone) {
        if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
            throw new InvalidInput("timezone", "timezone '" + Text.quote(timezone) + "' is not a time-zone id"
                    + " (IANA's, such as 'UTC' or 'Europe/Paris')");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new InvalidInput("timezone", "timezone '" + Text.quote(timezone) + "': " + Text.quote(e.getMessage()));
        }
    }

    /** cron-utils' Unix definition with the nicknames Kubernetes' CronJob takes (not {@code @reboot}). */
    private static CronDefinition unixWithNicknames() {
        CronDefinition unix = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
        return new CronDefinition(new ArrayList<>(unix.getFieldDefinitions()), unix.getCronConstraints(),
                EnumSet.of(CronNicknames.HOURLY, CronNicknames.DAILY, CronNicknames.MIDNIGHT, CronNicknames.WEEKLY,
                        CronNicknames.MONTHLY, CronNicknames.YEARLY, CronNicknames.ANNUALLY),
                unix.isMatchDayOfWeekAndDayOfMonth());
    }
}
