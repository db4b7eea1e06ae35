package dev.mlops.bench;

import dev.mlops.common.event.Topics;
import dev.mlops.stack.launch.Ports;
import dev.mlops.stack.launch.StackLayout;
import dev.mlops.testing.Http200;
import dev.mlops.testing.KafkaTestClient;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The published grid with 1 train-svc replica, then with a second one started next to the stack's (train-svc fans
 * a search out from 2 replicas in its work topic's consumer group): candidates per second for each. Both replicas
 * share this machine's cores, so on a small machine the second figure shows what fanning out costs (work orders,
 * unit scores in the store, less tree sharing inside a replica), not the speed-up separate machines would give.
 */
final class ScaleOutSection implements Section {

    static final String NAME = "scaleout";
    private static final String WORK_GROUP = "train-svc." + Topics.TRAIN_WORK;
    private static final Duration REPLICA_START = Duration.ofSeconds(180);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        int port = Ports.free();
        Map.Entry<Path, Map<String, String>> replica = context.stack().trainReplica(port).orElseThrow(() ->
                new IllegalStateException("needs a scratch stack (--own-stack): the second train-svc replica gets"
                        + " that stack's S3 credentials"));
        KafkaTestClient kafka = new KafkaTestClient(context.stack().kafkaBootstrap());
        kafka.awaitMembersHolding(WORK_GROUP, 1, REPLICA_START);
        Rate one = gridRuns(context, "1 replica");

        Path log = replica.getKey().resolve("logs/train-svc-replica-2.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(StackLayout.java(), "-Xmx512m", "-jar",
                context.home().resolve("train-svc/target/quarkus-app/quarkus-run.jar").toString())
                .directory(replica.getKey().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(replica.getValue());
        context.say("starting a second train-svc replica on port %d (log %s)...", port, log);
        Process second = builder.start();
        Rate two;
        try {
            awaitReady(second, port);
            kafka.awaitMembersHolding(WORK_GROUP, 2, REPLICA_START);
            two = gridRuns(context, "2 replicas");
        } finally {
            second.destroy();
            second.onExit().get();
        }

        String cores = Runtime.getRuntime().availableProcessors() + " cores";
        String overhead = "both replicas on this machine's " + cores + ": on a small machine this shows the cost of"
                + " fanning out (work orders, unit scores in the store), not the speed-up of replicas on their own"
                + " cores or nodes";
        context.say("%s", overhead);
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(NAME, "grid candidates per second, 1 train-svc replica (in-process search)",
                one.perSecond(), "/s", one.how()));
        figures.add(Figure.of(NAME, "grid candidates per second, 2 train-svc replicas (fanned out)",
                two.perSecond(), "/s", two.how() + "; " + overhead).againstRate(one.perSecond()));
        return figures;
    }

    /** Candidates per second over the median grid search of the runs, and how it was measured. */
    private record Rate(double perSecond, String how) {
    }

    private static Rate gridRuns(BenchContext context, String replicas) {
        int n = context.options().runs();
        List<Double> seconds = new ArrayList<>();
        PipelineRuns.Finished last = null;
        for (int i = 1; i <= n; i++) {
            last = context.runs().runToSuccess(Specs.PUBLISHED_GRID);
            seconds.add(last.metric("grid_search_seconds"));
            context.say("%s, run %d/%d %s: grid search %.1f s over %.0f replica(s), best CV %.4f", replicas, i, n,
                    last.runId(), last.metric("grid_search_seconds"), last.metric("grid_search_replicas"),
                    last.metric("best_cv_score"));
        }
        Percentiles grid = Percentiles.of(seconds);
        double candidates = last.metric("grid_candidates");
        return new Rate(candidates / grid.median(), String.format(Locale.ROOT,
                "published grid (%.0f candidates x 3 folds), %s, median of %d runs (grid search min %.1f, max %.1f s)",
                candidates, replicas, n, grid.min(), grid.max()));
    }

    private static void awaitReady(Process replica, int port) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + REPLICA_START.toNanos();
        while (!Http200.answers(http, ready)) {
            if (!replica.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the second train-svc replica did not get ready on port " + port);
            }
            Thread.sleep(200);
        }
    }
}
