package dev.mlops.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops schedule ...} against an HTTP server that answers as tracking-svc's {@code /schedules} does: what is
 * sent, what the user sees and the exit code.
 */
class ScheduleCommandTest {

    private static final String NIGHTLY = """
            {"name": "nightly", "cron": "0 2 * * *", "timezone": "Europe/Paris", "concurrencyPolicy": "Forbid",
             "suspend": false, "nextRunAt": "2026-12-05T01:00:00Z", "lastRunId": "run-7",
             "lastRunAt": "2026-12-04T01:00:00Z"}""";

    @TempDir
    Path home;

    private HttpServer tracking;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 201;
    private volatile String answer = NIGHTLY;
    private final CliOutput cli = new CliOutput();

    @BeforeEach
    void standInTrackingApi() throws IOException {
        tracking = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tracking.createContext("/schedules", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, status, answer);
        });
        tracking.start();
    }

    @AfterEach
    void stop() {
        tracking.stop(0);
    }

    @Test
    void createSendsTheExpressionPolicyTimeZoneAndSpecAndShowsTheNextRun() throws IOException {
        Path spec = Files.writeString(home.resolve("spec.json"), "{\"deploy\": {\"target\": \"none\"}}");

        int code = mlops().execute("schedule", "create", "nightly", "--cron", "0 2 * * *", "--timezone",
                "Europe/Paris", "--concurrency", "Forbid", spec.toString());

        assertThat(code).isZero();
        assertThat(requests).containsExactly("POST /schedules {\"name\":\"nightly\",\"cron\":\"0 2 * * *\","
                + "\"timezone\":\"Europe/Paris\",\"concurrencyPolicy\":\"Forbid\","
                + "\"spec\":{\"deploy\":{\"target\":\"none\"}}}");
        assertThat(cli.out()).contains("schedule nightly created: '0 2 * * *' in Europe/Paris, concurrencyPolicy Forbid")
                .contains("next run: 2026-12-05T01:00:00Z");
    }

    @Test
    void createWithoutASpecSchedulesTheDefaultPipeline() {
        assertThat(mlops().execute("schedule", "create", "hourly", "--cron", "@hourly")).isZero();
        assertThat(requests).containsExactly("POST /schedules {\"name\":\"hourly\",\"cron\":\"@hourly\"}");
    }

    @Test
    void aRefusedScheduleShowsTheServersMessage() {
        status = 400;
        answer = "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"field\": \"cron\","
                + " \"message\": \"cron '61 * * * *' is not a cron expression\"}";

        int code = mlops().execute("schedule", "create", "bad", "--cron", "61 * * * *");

        assertThat(code).isEqualTo(1);
        assertThat(cli.err()).contains("tracking-svc refused the request (HTTP 400): cron '61 * * * *' is not a cron"
                + " expression");
    }

    @Test
    void listShowsEverySchedulesExpressionNextAndLastRun() {
        status = 200;
        answer = "{\"schedules\": [" + NIGHTLY + ", {\"name\": \"paused\", \"cron\": \"@daily\", \"timezone\": \"UTC\","
                + " \"concurrencyPolicy\": \"Allow\", \"suspend\": true, \"nextRunAt\": null, \"lastRunId\": null,"
                + " \"lastRunAt\": null}]}";

        assertThat(mlops().execute("schedule", "list")).isZero();

        assertThat(cli.out().lines().toList()).hasSize(3);
        assertThat(cli.out()).containsPattern("NAME +CRON +TIMEZONE +POLICY +NEXT RUN +LAST RUN +LAST RUN AT")
                .containsPattern("nightly +0 2 \\* \\* \\* +Europe/Paris +Forbid +2026-12-05T01:00:00Z +run-7 "
                        + "+2026-12-04T01:00:00Z")
                .containsPattern("paused +@daily +UTC +Allow +suspended +- +-");
    }

    @Test
    void anEmptyListSaysHowToCreateOne() {
        status = 200;
        answer = "{\"schedules\": []}";
        assertThat(mlops().execute("schedule", "list")).isZero();
        assertThat(cli.out()).contains("no schedules");
    }

    @Test
    void suspendResumeAndDeleteChangeTheNamedSchedule() {
        status = 200;
        assertThat(mlops().execute("schedule", "suspend", "nightly")).isZero();
        assertThat(cli.out()).contains("schedule nightly suspended");
        assertThat(mlops().execute("schedule", "resume", "nightly")).isZero();
        assertThat(cli.out()).contains("schedule nightly resumed; next run: 2026-12-05T01:00:00Z");
        status = 204;
        answer = "";
        assertThat(mlops().execute("schedule", "delete", "nightly")).isZero();
        assertThat(cli.out()).contains("schedule nightly deleted");

        assertThat(requests).containsExactly("PATCH /schedules/nightly {\"suspend\": true}",
                "PATCH /schedules/nightly {\"suspend\": false}", "DELETE /schedules/nightly ");
    }

    @Test
    void anUnknownScheduleIsNamed() {
        status = 404;
        answer = "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"no schedule named 'nope'\"}";
        assertThat(mlops().execute("schedule", "delete", "nope")).isEqualTo(1);
        assertThat(cli.err()).contains("no schedule 'nope' at http://127.0.0.1:");
    }

    /** Each tried: no action, an unknown one, create without --cron or a name, --cron on list, a missing spec file. */
    @Test
    void usageErrorsSendNothing() {
        assertThat(mlops().execute("schedule")).isEqualTo(2);
        assertThat(cli.err()).contains("'schedule' needs what to do");
        assertThat(mlops().execute("schedule", "pause", "nightly")).isEqualTo(2);
        assertThat(cli.err()).contains("unknown schedule action 'pause'");
        assertThat(mlops().execute("schedule", "create", "nightly")).isEqualTo(2);
        assertThat(cli.err()).contains("needs a name and --cron");
        assertThat(mlops().execute("schedule", "create", "--cron", "@daily")).isEqualTo(2);
        assertThat(mlops().execute("schedule", "list", "--cron", "@daily")).isEqualTo(2);
        assertThat(cli.err()).contains("--cron only go with 'schedule create'");
        assertThat(mlops().execute("schedule", "suspend")).isEqualTo(2);
        assertThat(mlops().execute("schedule", "create", "x", "--cron", "@daily", home.resolve("no.json").toString()))
                .isEqualTo(1);
        assertThat(cli.err()).contains("no pipeline spec file");
        assertThat(requests).isEmpty();
    }

    @Test
    void helpListsTheScheduleCommands() {
        assertThat(mlops().execute("help")).isZero();
        assertThat(cli.out()).contains("schedule create NAME --cron \"EXPR\" [SPEC.json]").contains("schedule list")
                .contains("schedule delete|suspend|resume NAME").contains("--concurrency");
    }

    private Mlops mlops() {
        return cli.mlops(home, Map.of("MLOPS_TRACKING_URL", "http://127.0.0.1:" + tracking.getAddress().getPort(),
                "MLOPS_STATE_DIR", home.resolve("state").toString()));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(status == 204 ? new byte[0] : bytes);
        }
    }
}
