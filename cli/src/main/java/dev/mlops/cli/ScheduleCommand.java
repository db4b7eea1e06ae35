package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./mlops schedule create|list|delete|suspend|resume}: pipeline runs on a cron schedule, through
 * tracking-svc's {@code /schedules} API.
 */
final class ScheduleCommand {

    static final String USAGE = "./mlops schedule create NAME --cron \"EXPR\" [--timezone TZ] [--concurrency"
            + " Allow|Forbid|Replace] [SPEC.json], or schedule list, or schedule delete|suspend|resume NAME";
    private static final Set<String> CREATE_OPTIONS = Set.of("cron", "timezone", "concurrency");

    private final TrackingClient tracking;
    private final TrackingErrors errors;
    private final PrintStream out;

    ScheduleCommand(LocalStack stack, PrintStream out) {
        this.tracking = TrackingErrors.client(stack);
        this.errors = new TrackingErrors(stack, tracking.baseUrl());
        this.out = out;
    }

    int execute(List<String> arguments, Map<String, String> options) {
        if (arguments.isEmpty()) {
            throw new UsageException("'schedule' needs what to do: " + USAGE, false);
        }
        String action = arguments.get(0);
        List<String> rest = arguments.subList(1, arguments.size());
        if (!action.equals("create") && !options.isEmpty()) {
            throw new UsageException("--" + String.join(", --", options.keySet()) + " only go with 'schedule create'",
                    false);
        }
        return switch (action) {
            case "create" -> create(rest, options);
            case "list" -> {
                requireArguments(rest, 0, "schedule list");
                yield list();
            }
            case "delete" -> delete(named(rest, "delete"));
            case "suspend" -> suspend(named(rest, "suspend"), true);
            case "resume" -> suspend(named(rest, "resume"), false);
            default -> throw new UsageException("unknown schedule action '" + action + "': " + USAGE, false);
        };
    }

    private int create(List<String> arguments, Map<String, String> options) {
        if (arguments.isEmpty() || arguments.size() > 2 || !options.containsKey("cron")) {
            throw new UsageException("'schedule create' needs a name and --cron: " + USAGE, false);
        }
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("name", arguments.get(0));
        request.put("cron", options.get("cron"));
        if (options.containsKey("timezone")) {
            request.put("timezone", options.get("timezone"));
        }
        if (options.containsKey("concurrency")) {
            request.put("concurrencyPolicy", options.get("concurrency"));
        }
        if (arguments.size() == 2) {
            request.set("spec", RunCommand.specObject(RunCommand.readSpec(arguments.get(1))));
        }
        JsonNode created;
        try {
            created = tracking.post("/schedules", Json.write(request), 201);
        } catch (TrackingException e) {
            throw errors.explain(e, null);
        }
        out.println("schedule " + created.path("name").asText() + " created: " + describe(created));
        out.println("next run: " + nextRun(created));
        return 0;
    }

    private int list() {
        JsonNode schedules;
        try {
            schedules = tracking.get("/schedules").path("schedules");
        } catch (TrackingException e) {
            throw errors.explain(e, null);
        }
        if (schedules.isEmpty()) {
            out.println("no schedules (./mlops schedule create NAME --cron \"EXPR\" [SPEC.json] makes one)");
            return 0;
        }
        Table table = new Table("NAME", "CRON", "TIMEZONE", "POLICY", "NEXT RUN", "LAST RUN", "LAST RUN AT");
        for (JsonNode schedule : schedules) {
            table.row(schedule.path("name").asText(), schedule.path("cron").asText(),
                    schedule.path("timezone").asText(), schedule.path("concurrencyPolicy").asText(), nextRun(schedule),
                    text(schedule, "lastRunId"), text(schedule, "lastRunAt"));
        }
        out.print(table);
        return 0;
    }

    private int delete(String name) {
        try {
            tracking.delete(path(name), 204);
        } catch (TrackingException e) {
            throw errors.explain(e, notFound(name));
        }
        out.println("schedule " + name + " deleted (the runs it started stay)");
        return 0;
    }

    private int suspend(String name, boolean suspend) {
        JsonNode schedule;
        try {
            schedule = tracking.patch(path(name), "{\"suspend\": " + suspend + "}", 200);
        } catch (TrackingException e) {
            throw errors.explain(e, notFound(name));
        }
        out.println(suspend ? "schedule " + name + " suspended: it starts no run until ./mlops schedule resume " + name
                : "schedule " + name + " resumed; next run: " + nextRun(schedule));
        return 0;
    }

    private static String describe(JsonNode schedule) {
        return "'" + schedule.path("cron").asText() + "' in " + schedule.path("timezone").asText()
                + ", concurrencyPolicy " + schedule.path("concurrencyPolicy").asText();
    }

    private static String nextRun(JsonNode schedule) {
        return schedule.path("suspend").asBoolean() ? "suspended" : text(schedule, "nextRunAt");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "-";
    }

    private String notFound(String name) {
        return "no schedule '" + name + "' at " + tracking.baseUrl() + " (./mlops schedule list shows them)";
    }

    private static String path(String name) {
        return "/schedules/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String named(List<String> arguments, String action) {
        requireArguments(arguments, 1, "schedule " + action + " NAME");
        return arguments.get(0);
    }

    private static void requireArguments(List<String> arguments, int count, String usage) {
        if (arguments.size() != count) {
            throw new UsageException("'" + usage.split(" NAME")[0] + "' takes " + (count == 0 ? "no name"
                    : "one name") + ": ./mlops " + usage, false);
        }
    }
}
