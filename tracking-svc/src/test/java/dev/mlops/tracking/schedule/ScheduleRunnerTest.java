package dev.mlops.tracking.schedule;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.RunStop;
import dev.mlops.tracking.RunTag;
import dev.mlops.tracking.service.RunService;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.mlops.tracking.schedule.ScheduleApiTest.create;
import static dev.mlops.tracking.schedule.ScheduleApiTest.patch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.nullValue;

/**
 * Due schedules start runs: one per tick, tagged with the schedule, one for ticks missed while nothing ticked, one
 * when two claimers race (against the real PostgreSQL), none for a skipped (Forbid) or suspended schedule. The
 * tests fire ticks by calling {@link ScheduleRunner#runDue} with the instant of the tick (schedules that fire once a
 * year, so the real ticker leaves them alone), except the one that checks the ticker itself.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class ScheduleRunnerTest {

    /** Once a year, at midnight on 1 January (UTC). */
    static final String YEARLY = "0 0 1 1 *";

    @Inject
    ScheduleRunner runner;
    @Inject
    ScheduleRepository repository;
    @Inject
    RunService runService;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ArtifactStore store;

    @AfterEach
    void cleanUp() {
        ScheduleApiTest.deleteEverySchedule();
    }

    @Test
    void aDueScheduleStartsOneRunPerTickTaggedWithItsName() {
        Instant tick = nextRunAt(createYearly("per-tick", "Allow"));

        assertThat(runner.runDue(tick.minusSeconds(1))).isZero();
        assertThat(runsOf("per-tick")).isEmpty();

        assertThat(runner.runDue(tick)).isEqualTo(1);
        assertThat(runner.runDue(tick)).as("the same tick again").isZero();
        List<String> runs = runsOf("per-tick");
        assertThat(runs).hasSize(1);
        given().get("/schedules/per-tick").then().body("lastRunId", equalTo(runs.get(0)))
                .body("lastRunAt", equalTo(tick.toString()))
                .body("nextRunAt", equalTo(tick.atZone(java.time.ZoneOffset.UTC).plusYears(1).toInstant().toString()))
                .body("lastError", nullValue());
        given().get("/pipelines/" + runs.get(0)).then().statusCode(200).body("status", equalTo("RUNNING"))
                .body("tags", hasEntry(ScheduleRunner.TAG_SCHEDULE, "per-tick"))
                .body("spec.deploy.target", equalTo("none"));

        // Allow: the next tick starts another run while the first still runs
        assertThat(runner.runDue(nextRunAt("per-tick"))).isEqualTo(1);
        assertThat(runsOf("per-tick")).hasSize(2);
    }

    @Test
    void ticksMissedWhileNothingTickedStartOneRun() {
        Instant first = nextRunAt(createYearly("missed", "Allow"));
        Instant fiveYearsLater = first.plus(Duration.ofDays(5 * 366));

        assertThat(runner.runDue(fiveYearsLater)).isEqualTo(1);
        assertThat(runsOf("missed")).hasSize(1);
        assertThat(nextRunAt("missed")).isAfter(fiveYearsLater).isBefore(fiveYearsLater.plus(Duration.ofDays(366)));
    }

    @Test
    void twoClaimersRacingForOneTickStartOneRun() throws Exception {
        Instant tick = nextRunAt(createYearly("raced", "Allow"));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Integer>> claims = List.of(
                    CompletableFuture.supplyAsync(() -> whenBoth(together, () -> runner.runDue(tick)), replicas),
                    CompletableFuture.supplyAsync(() -> whenBoth(together, () -> runner.runDue(tick)), replicas));
            int claimed = claims.get(0).get(30, TimeUnit.SECONDS) + claims.get(1).get(30, TimeUnit.SECONDS);
            assertThat(claimed).isEqualTo(1);
        } finally {
            replicas.shutdownNow();
        }
        assertThat(runsOf("raced")).hasSize(1);
    }

    @Test
    void aClaimerSkipsTheScheduleAnotherHoldsAndFindsItClaimedOnceThatCommits() throws Exception {
        Instant tick = nextRunAt(createYearly("held", "Allow"));
        CompletableFuture<Void> otherClaimerDone = new CompletableFuture<>();
        // this transaction holds the schedule's row, as a replica in the middle of its claim does
        QuarkusTransaction.requiringNew().call(() -> {
            Optional<Schedule> held = repository.lockNextDue(tick);
            assertThat(held).map(s -> s.name).contains("held");
            CompletableFuture.runAsync(() -> assertThat(runner.runDue(tick)).isZero())
                    .whenComplete((done, failure) -> complete(otherClaimerDone, failure));
            // a claimer that waited for the row instead of skipping it would time out here
            otherClaimerDone.get(20, TimeUnit.SECONDS);
            held.get().nextRunAt = tick.plus(Duration.ofDays(365));
            return null;
        });
        assertThat(runner.runDue(tick)).as("claimed by the holder").isZero();
        assertThat(runsOf("held")).isEmpty();
    }

    @Test
    void forbidSkipsATickWhileTheLastRunIsRunning() {
        Instant tick = nextRunAt(createYearly("forbidden", "Forbid"));
        runner.runDue(tick);
        String first = runsOf("forbidden").get(0);

        Instant second = nextRunAt("forbidden");
        assertThat(runner.runDue(second)).isEqualTo(1);
        assertThat(runsOf("forbidden")).containsExactly(first);
        given().get("/schedules/forbidden").then().body("lastRunId", equalTo(first))
                .body("lastRunAt", equalTo(tick.toString())).body("lastSkippedAt", equalTo(second.toString()));

        // once that run has ended, the next tick starts a run
        runService.markFailed(first, "ended for the test");
        runner.runDue(nextRunAt("forbidden"));
        assertThat(runsOf("forbidden")).hasSize(2);
    }

    @Test
    void replaceStopsTheRunningRunAndStartsANewOne() {
        Instant tick = nextRunAt(createYearly("replaced", "Replace"));
        runner.runDue(tick);
        String first = runsOf("replaced").get(0);

        assertThat(runner.runDue(nextRunAt("replaced"))).isEqualTo(1);

        List<String> runs = runsOf("replaced");
        assertThat(runs).hasSize(2).contains(first);
        String second = runs.stream().filter(id -> !id.equals(first)).findFirst().orElseThrow();
        given().get("/pipelines/" + first).then().body("status", equalTo("KILLED"))
                .body("error", equalTo("stopped by schedule 'replaced' (concurrencyPolicy Replace)"));
        assertThat(RunStop.read(store, first)).isPresent();
        given().get("/pipelines/" + second).then().body("status", equalTo("RUNNING"));
        given().get("/schedules/replaced").then().body("lastRunId", equalTo(second));

        // a last run that has ended is not stopped: the tick only starts the next one
        runService.markFailed(second, "ended for the test");
        runner.runDue(nextRunAt("replaced"));
        assertThat(runsOf("replaced")).hasSize(3);
        given().get("/pipelines/" + second).then().body("status", equalTo("FAILED"));
        assertThat(RunStop.read(store, second)).isEmpty();
    }

    @Test
    void aSuspendedScheduleStartsNothing() {
        Instant tick = nextRunAt(createYearly("suspended", "Allow"));
        patch("suspended", "{\"suspend\": true}").then().statusCode(200);

        runner.runDue(tick.plus(Duration.ofDays(3 * 366)));
        assertThat(runsOf("suspended")).isEmpty();
        given().get("/schedules/suspended").then().body("lastRunAt", nullValue());
    }

    /**
     * A schedule whose tick passed while no tracking-svc ran (its row, as a restart finds it in PostgreSQL, with
     * next_run_at in the past): the ticker starts one run for it, and sets the next tick from now.
     */
    @Test
    void theTickerStartsARunForATickThatPassedWhileTrackingWasDown() throws SQLException {
        createYearly("after-restart", "Allow");
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE schedule SET next_run_at = now() - interval '3 days' WHERE name = 'after-restart'");
            try (ResultSet row = sql.executeQuery("SELECT cron, concurrency_policy FROM schedule"
                    + " WHERE name = 'after-restart'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(YEARLY);
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !runsOf("after-restart").isEmpty());
        assertThat(runsOf("after-restart")).hasSize(1);
        assertThat(nextRunAt("after-restart")).isAfter(Instant.now());
    }

    private static String createYearly(String name, String policy) {
        create("{\"name\": \"" + name + "\", \"cron\": \"" + YEARLY + "\", \"concurrencyPolicy\": \"" + policy
                + "\", \"spec\": {\"deploy\": {\"target\": \"none\"}}}").then().statusCode(201);
        return name;
    }

    private static Instant nextRunAt(String name) {
        return Instant.parse(given().get("/schedules/" + name).then().statusCode(200).extract().path("nextRunAt"));
    }

    /** The ids of the runs tagged with the schedule's name. */
    private static List<String> runsOf(String schedule) {
        return QuarkusTransaction.requiringNew().call(() -> RunTag.<RunTag>list("key = ?1 and value = ?2 order by id",
                ScheduleRunner.TAG_SCHEDULE, schedule).stream().map(tag -> tag.runId).toList());
    }

    private static <T> T whenBoth(CyclicBarrier barrier, java.util.function.Supplier<T> then) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return then.get();
    }

    private static void complete(CompletableFuture<Void> future, Throwable failure) {
        if (failure == null) {
            future.complete(null);
        } else {
            future.completeExceptionally(failure);
        }
    }
}
