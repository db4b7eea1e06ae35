package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.stack.launch.ServerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.mlops.cli.LocalStack.INFRA;
import static dev.mlops.cli.LocalStack.KAFKA;
import static dev.mlops.cli.LocalStack.POSTGRES;
import static dev.mlops.cli.LocalStack.S3;

/**
 * {@code ./mlops down}: stops, by the pids {@code up} recorded, the services first (containers are removed through
 * podman) and the model deploy-svc left serving, then the registry and podman's service, then Kafka, S3 and PostgreSQL; SIGTERM, then SIGKILL after a grace
 * period. Data (the registry's images too) is kept unless purged.
 */
final class StackStopper {

    private static final Map<String, Duration> STOP_GRACE = Map.of(
            KAFKA, Duration.ofSeconds(30), S3, Duration.ofSeconds(10), POSTGRES, Duration.ofSeconds(30));
    // tracking-svc's many consumers of one group leave one rebalance at a time: 17 s was seen
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration IMAGE_INFRA_STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration SERVED_MODEL_STOP_GRACE = Duration.ofSeconds(10);

    private final LocalStack stack;
    private final StateDir state;
    private final PrintStream out;
    private final Map<Long, Long> exitedAt = new ConcurrentHashMap<>();

    StackStopper(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.state = stack.settings().state();
        this.out = out;
    }

    /** Stops what {@code up} started, services first; with {@code purge} also deletes the data. */
    void down(boolean purge) {
        List<String> stillAlive = new ArrayList<>();
        boolean stoppedAny = false;
        Map<PidRecord, Optional<ProcessHandle>> services = new LinkedHashMap<>();
        List<PidRecord> containers = new ArrayList<>();
        for (ServiceModule service : ServiceModule.ALL) {
            PidRecord.read(state.pids(), service.name()).ifPresent(r -> {
                if (r.container().isPresent()) {
                    containers.add(r);
                } else {
                    services.put(r, r.liveProcess());
                }
            });
        }
        stoppedAny |= removeContainers(containers, stillAlive);
        // SIGTERM to every service first, so that they shut down side by side
        long servicesSignalled = System.nanoTime();
        services.values().forEach(p -> p.ifPresent(handle -> {
            noteExit(handle);
            handle.destroy();
        }));
        for (var service : services.entrySet()) {
            stoppedAny |= stop(service.getKey(), service.getValue(), SERVICE_STOP_GRACE, servicesSignalled, stillAlive);
        }
        stoppedAny |= stopServedModel(stillAlive);
        Optional<PidRecord> prometheus = PidRecord.read(state.pids(), Observer.PROMETHEUS);
        if (prometheus.isPresent()) {
            stoppedAny |= stop(prometheus.get(), prometheus.get().liveProcess(), SERVICE_STOP_GRACE, System.nanoTime(),
                    stillAlive);
        }
        for (String name : LocalStack.IMAGE_INFRA) {
            Optional<PidRecord> record = PidRecord.read(state.pids(), name);
            if (record.isPresent()) {
                stoppedAny |= stop(record.get(), record.get().liveProcess(), IMAGE_INFRA_STOP_GRACE, System.nanoTime(),
                        stillAlive);
            }
        }
        // the PostgreSQL server is not the launcher's child (zonky starts it through pg_ctl): found via its data folder
        Optional<ProcessHandle> postmaster = PostgresData.postmaster(state.postgresData());
        boolean launcherStopped = false;
        for (String name : INFRA) {
            Optional<PidRecord> record = PidRecord.read(state.pids(), name);
            if (record.isPresent()) {
                boolean stopped = stop(record.get(), record.get().liveProcess(), STOP_GRACE.get(name), System.nanoTime(),
                        stillAlive);
                launcherStopped |= stopped && name.equals(POSTGRES);
                stoppedAny |= stopped;
            }
        }
        if (postmaster.isPresent()) {
            stoppedAny |= stopPostmaster(postmaster.get(), launcherStopped, stillAlive);
        }
        if (!stoppedAny) {
            out.println("nothing was running (state folder " + state.root() + ")");
        }
        if (!stillAlive.isEmpty()) {
            throw new CliException("could not stop " + String.join(", ", stillAlive)
                    + (purge ? "; the data was not deleted" : ""));
        }
        if (purge) {
            purgeData();
        } else {
            out.println("data kept in " + state.data() + " (./mlops down --purge deletes it)");
        }
    }

    /** Services run as containers: stopped side by side and removed by podman ({@code rm --force}). */
    private boolean removeContainers(List<PidRecord> containers, List<String> stillAlive) {
        if (containers.isEmpty()) {
            return false;
        }
        long signalled = System.nanoTime();
        containers.forEach(r -> r.liveProcess().ifPresent(this::noteExit));
        Podman.Result removed = new ContainerLauncher(stack, stack.podman())
                .remove(containers.stream().map(r -> r.container().orElseThrow()).toList(), SERVICE_STOP_GRACE);
        if (!removed.ok()) {
            containers.forEach(r -> stillAlive.add(r.name() + " (container " + r.shortContainer() + ")"));
            out.println("podman could not remove the containers: " + removed.problem());
            return true;
        }
        for (PidRecord r : containers) {
            PidRecord.delete(state.pids(), r.name());
            Duration took = Duration.ofNanos(exitedAt.getOrDefault(r.pid(), System.nanoTime()) - signalled);
            out.println("stopped " + r.name() + " (container " + r.shortContainer() + ", " + Durations.format(took)
                    + ", removed)");
        }
        return true;
    }

    /**
     * The model deploy-svc serves locally: its model-server outlives deploy-svc (a restarted deploy-svc adopts it), so it
     * is stopped here, after deploy-svc: the recorded process, or the recorded container through podman.
     */
    private boolean stopServedModel(List<String> stillAlive) {
        Path file = state.servedModel();
        if (!Files.isRegularFile(file)) {
            return false;
        }
        JsonNode record;
        try {
            record = Json.tree(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            out.println("could not read " + file + ": " + e.getMessage());
            return false;
        }
        String run = record.path("runId").asText("?");
        boolean stopped = false;
        Optional<ProcessHandle> process = record.path("pid").canConvertToLong()
                ? ProcessHandle.of(record.path("pid").asLong()).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                : Optional.empty();
        if (process.isPresent()) {
            ServerProcess.stop(process.get(), SERVED_MODEL_STOP_GRACE);
            if (!awaitExit(process.get(), Duration.ofSeconds(5))) {
                stillAlive.add("the served model's model-server (pid " + process.get().pid() + ")");
                return true;
            }
            out.println("stopped the served model (model-server of run " + run + ", pid " + process.get().pid() + ")");
            stopped = true;
        }
        String container = record.path("containerId").asText("");
        if (!container.isEmpty() && stack.running(LocalStack.PODMAN).isPresent()) {
            Podman.Result removed = new ContainerLauncher(stack, stack.podman()).remove(List.of(container),
                    SERVED_MODEL_STOP_GRACE);
            out.println(removed.ok() ? "stopped the served model (container of run " + run + ", removed)"
                    : "podman could not remove the served model's container: " + removed.problem());
            stopped = true;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            out.println("could not delete " + file + ": " + e.getMessage());
        }
        return stopped;
    }

    private boolean stop(PidRecord record, Optional<ProcessHandle> process, Duration grace, long signalledAt,
                         List<String> stillAlive) {
        if (process.isEmpty()) {
            PidRecord.delete(state.pids(), record.name());
            out.println(record.name() + " was not running (removed its stale pid file)");
            return false;
        }
        noteExit(process.get());
        ServerProcess.stop(process.get(), grace);
        if (!awaitExit(process.get(), Duration.ofSeconds(5))) {
            stillAlive.add(record.name() + " (pid " + record.pid() + ")");
            return true;
        }
        PidRecord.delete(state.pids(), record.name());
        Duration took = Duration.ofNanos(exitedAt.getOrDefault(record.pid(), System.nanoTime()) - signalledAt);
        out.println("stopped " + record.name() + " (pid " + record.pid() + ", " + (took.compareTo(grace) >= 0
                ? "killed: it did not stop within " + grace.toSeconds() + " s of SIGTERM" : Durations.format(took)) + ")");
        return true;
    }

    /**
     * Makes sure the PostgreSQL server is gone: its launcher stops it on SIGTERM (give it a moment to exit);
     * without its launcher (killed, or stopped before it could stop the server) it is stopped here.
     */
    private boolean stopPostmaster(ProcessHandle postmaster, boolean launcherStopped, List<String> stillAlive) {
        if (launcherStopped && awaitExit(postmaster, Duration.ofSeconds(10))) {
            return false;
        }
        out.println("stopping the PostgreSQL server left over on " + state.postgresData() + " (pid " + postmaster.pid() + ")");
        ServerProcess.stop(postmaster, STOP_GRACE.get(POSTGRES));
        if (!awaitExit(postmaster, Duration.ofSeconds(5))) {
            stillAlive.add("the PostgreSQL server (pid " + postmaster.pid() + ")");
        }
        return true;
    }

    /** Before PostgreSQL starts: a server left on its data folder by a killed launcher holds the port and the data. */
    void stopLeftoverPostgres() {
        List<String> stillAlive = new ArrayList<>();
        PostgresData.postmaster(state.postgresData()).ifPresent(p -> stopPostmaster(p, false, stillAlive));
        if (!stillAlive.isEmpty()) {
            throw new CliException("could not stop " + stillAlive.get(0) + ", which keeps " + state.postgresData()
                    + " in use; stop it by hand");
        }
    }

    /** Remembers when the process ends, so that each stop shows its own duration although they overlap. */
    private void noteExit(ProcessHandle process) {
        process.onExit().thenRun(() -> exitedAt.putIfAbsent(process.pid(), System.nanoTime()));
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !process.isAlive();
        }
    }

    private void purgeData() {
        boolean deleted = false;
        for (Path dir : List.of(state.kafkaData(), state.postgresData(), state.s3Data(), state.prometheusData(),
                state.registryData())) {
            if (Files.exists(dir)) {
                String size = Folders.humanSize(Folders.size(dir));
                Folders.deleteRecursively(dir);
                out.println("deleted " + dir + " (" + size + ")");
                deleted = true;
            }
        }
        if (!deleted) {
            out.println("no data to delete in " + state.data());
        }
        if (stack.usesExternalDb()) {
            out.println("the external database (MLOPS_DB_URL) was not touched");
        }
    }
}
