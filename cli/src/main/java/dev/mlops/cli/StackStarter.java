package dev.mlops.cli;

import dev.mlops.common.event.Topics;
import dev.mlops.common.jvm.DeferredOptimization;
import dev.mlops.common.jvm.NoPerfData;
import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.LocalServers;
import dev.mlops.stack.launch.PodmanService;
import dev.mlops.stack.launch.ServerProcess;
import dev.mlops.stack.launch.StackLayout;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.mlops.cli.LocalStack.IMAGE_INFRA;
import static dev.mlops.cli.LocalStack.INFRA;
import static dev.mlops.cli.LocalStack.KAFKA;
import static dev.mlops.cli.LocalStack.PODMAN;
import static dev.mlops.cli.LocalStack.POSTGRES;
import static dev.mlops.cli.LocalStack.REGISTRY;
import static dev.mlops.cli.LocalStack.S3;

/**
 * {@code ./mlops up}: starts what is not running yet, Kafka, S3 and PostgreSQL side by side (with the image registry and
 * podman's Docker Engine API when they are installed), then every built service as soon as S3 and PostgreSQL are ready,
 * while Kafka still starts (the serving base image image-svc builds on is pushed meanwhile), as a process or
 * ({@code --containers}, once every server is ready) as a container of its image, each recorded in a pid file;
 * restarts a running service whose health (liveness or readiness) stays DOWN ({@link #DOWN_GRACE}) once its servers run;
 * fails before starting anything when a port is taken.
 */
final class StackStarter {

    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(120);
    /**
     * How long a running service whose readiness answers DOWN may take to come back once its servers run (a service
     * reconnecting to a restarted Kafka is DOWN for a few seconds) before it is restarted.
     */
    static final Duration DOWN_GRACE = Duration.ofSeconds(30);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    private static final String IMAGE_SERVICE = "image-svc";

    private final LocalStack stack;
    private final CliSettings settings;
    private final StateDir state;
    private final PrintStream out;
    private final Duration downGrace;

    StackStarter(LocalStack stack, PrintStream out) {
        this(stack, out, DOWN_GRACE);
    }

    StackStarter(LocalStack stack, PrintStream out, Duration downGrace) {
        this.stack = stack;
        this.settings = stack.settings();
        this.state = settings.state();
        this.out = out;
        this.downGrace = downGrace;
    }

    void up() {
        up(false);
    }

    /** @param containers the services run as containers of their images instead of processes */
    void up(boolean containers) {
        settings.validatePorts();
        if (containers && !PodmanService.isInstalled()) {
            throw new CliException("up --containers runs the services with podman, which is not installed; "
                    + PodmanService.INSTALL_HINT);
        }
        state.create();
        Interruption.guard(this::stopWhatIsNotRecorded, () -> {
            startWhatIsNotRunning(containers);
            return null;
        });
    }

    /**
     * When {@code up} is interrupted (Ctrl-C): a server still starting has no pid file yet, so nothing could stop it
     * later; stop it now. What is recorded keeps running for {@code status} and {@code down}.
     */
    private void stopWhatIsNotRecorded() {
        Set<Long> recorded = new HashSet<>();
        for (String name : INFRA) {
            PidRecord.read(state.pids(), name).ifPresent(r -> recorded.add(r.pid()));
        }
        for (String name : IMAGE_INFRA) {
            PidRecord.read(state.pids(), name).ifPresent(r -> recorded.add(r.pid()));
        }
        for (ServiceModule service : ServiceModule.ALL) {
            PidRecord.read(state.pids(), service.name()).ifPresent(r -> recorded.add(r.pid()));
        }
        List<ProcessHandle> starting = ProcessHandle.current().children().filter(p -> !recorded.contains(p.pid())).toList();
        starting.forEach(ProcessHandle::destroy);
        // a Kafka broker stopped in the middle of its start-up can hang in its shutdown: SIGKILL after a grace period
        starting.forEach(p -> ServerProcess.stop(p, Duration.ofSeconds(10)));
        out.println();
        out.println("interrupted" + (starting.isEmpty() ? "" : ": stopped " + starting.size() + " server(s) still starting")
                + "; ./mlops status shows what runs, ./mlops down stops it");
    }

    private void startWhatIsNotRunning(boolean containers) {
        Credentials credentials = Credentials.loadOrCreate(state.credentials(), settings);
        List<String> infra = new ArrayList<>();
        for (String name : INFRA) {
            if (name.equals(POSTGRES) && stack.usesExternalDb()) {
                continue;
            }
            stack.running(name).ifPresentOrElse(
                    r -> out.println(name + " is already running (pid " + r.pid() + ", " + r.address() + ")"),
                    () -> infra.add(name));
        }
        for (String name : imageInfraToStart()) {
            stack.running(name).ifPresentOrElse(
                    r -> out.println(name + " is already running (pid " + r.pid() + ", " + r.address() + ")"),
                    () -> infra.add(name));
        }
        List<ServiceModule> services = new ArrayList<>();
        Map<ServiceModule, PidRecord> down = new LinkedHashMap<>();
        for (ServiceModule service : stack.builtServices()) {
            Optional<PidRecord> running = stack.running(service.name());
            if (running.isEmpty()) {
                services.add(service);
            } else if (running.get().container().isPresent() == containers
                    && Network.health(running.get().port()) == 503) {
                down.put(service, running.get());
            } else {
                out.println(alreadyRunning(service, running.get(), containers));
            }
        }
        if (infra.contains(POSTGRES)) {
            new StackStopper(stack, out).stopLeftoverPostgres();
        }
        checkPortsFree(infra, services);
        InfraStarts starting = startInfra(infra, credentials);
        if (containers || !down.isEmpty()) {
            starting.awaitAll();
            services.addAll(stopWhatStaysDown(down));
        } else {
            // a service's JVM takes seconds before it first talks to Kafka, and its Kafka clients retry until the
            // broker answers: the services start alongside the broker's own start-up (PostgreSQL and S3 they need
            // at once: Flyway, the bucket)
            starting.await(name -> !name.equals(KAFKA));
        }
        if (containers) {
            startContainers(services, credentials, servingBaseFor(services));
        } else {
            List<ServiceLauncher.Started> launched = launchServices(services, credentials);
            starting.awaitAll();
            awaitServices(launched);
        }
    }

    /** The serving base image-svc builds on, built (or found up to date) when image-svc is to start. */
    private Optional<String> servingBaseFor(List<ServiceModule> services) {
        return services.stream().anyMatch(s -> s.name().equals(IMAGE_SERVICE))
                ? new ImageBuilds(settings, out).servingBase(stack.imageRegistry()) : Optional.empty();
    }

    /**
     * Services that run but answer DOWN on {@code /q/health} (a consumer channel that ended: up but deaf; Kubernetes'
     * liveness probe would restart them): each gets {@link #downGrace} to come back now that its servers run, else it
     * is stopped, to be started again with the services that were not running.
     */
    private List<ServiceModule> stopWhatStaysDown(Map<ServiceModule, PidRecord> down) {
        if (down.isEmpty()) {
            return List.of();
        }
        out.println(String.join(", ", down.keySet().stream().map(ServiceModule::name).toList())
                + " answer" + (down.size() == 1 ? "s" : "") + " DOWN (503) on /q/health: waiting up to "
                + downGrace.toSeconds() + " s for " + (down.size() == 1 ? "it" : "them") + " to come back...");
        long deadline = System.nanoTime() + downGrace.toNanos();
        List<ServiceModule> restart = new ArrayList<>();
        for (var entry : down.entrySet()) {
            PidRecord record = entry.getValue();
            boolean up = ServiceLauncher.await(() -> true, () -> Network.health(record.port()), deadline)
                    == ServiceLauncher.Readiness.READY;
            int status = up ? 200 : Network.health(record.port()); // what it answers now, for the message
            if (status == 200) {
                out.println(entry.getKey().name() + " is UP again (pid " + record.pid() + ", " + record.address() + ")");
                continue;
            }
            out.println("restarting " + entry.getKey().name() + ": /q/health still answers "
                    + (status == 0 ? "nothing" : status) + " after " + downGrace.toSeconds() + " s (stopping "
                    + (record.container().isPresent() ? "container " + record.shortContainer() : "pid " + record.pid())
                    + ")");
            stop(record);
            restart.add(entry.getKey());
        }
        return restart;
    }

    private void stop(PidRecord record) {
        if (record.container().isPresent()) {
            Podman.Result removed = new ContainerLauncher(stack, stack.podman())
                    .remove(List.of(record.container().get()), SERVICE_STOP_GRACE);
            if (!removed.ok()) {
                throw new CliException("could not remove the container of " + record.name() + ": " + removed.problem());
            }
        } else {
            record.liveProcess().ifPresent(p -> ServerProcess.stop(p, SERVICE_STOP_GRACE));
        }
        PidRecord.delete(state.pids(), record.name());
    }

    /** The registry unless MLOPS_IMAGE_REGISTRY names one, and podman: those of them that are installed. */
    private List<String> imageInfraToStart() {
        List<String> names = new ArrayList<>();
        if (settings.externalRegistry().isEmpty() && DockerRegistry.isInstalled()) {
            names.add(REGISTRY);
        }
        if (PodmanService.isInstalled()) {
            names.add(PODMAN);
        }
        return names;
    }

    /** A service runs already: as asked, or the other way (then it is not started a second time). */
    private static String alreadyRunning(ServiceModule service, PidRecord r, boolean containers) {
        if (r.container().isPresent() == containers) {
            return service.name() + " is already running (" + (containers ? "container " + r.shortContainer() + ", " : "")
                    + "pid " + r.pid() + ", " + r.address() + ")";
        }
        return service.name() + " is already running as a " + (containers ? "process (pid " + r.pid() + ")"
                : "container (" + r.shortContainer() + ")") + ", so it is not started a second time;"
                + " ./mlops down, then ./mlops up" + (containers ? " --containers" : "") + " to switch";
    }

    private void checkPortsFree(List<String> infra, List<ServiceModule> services) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String name : infra) {
            switch (name) {
                case KAFKA -> {
                    wanted.put("kafka (MLOPS_KAFKA_PORT)", settings.kafkaPort());
                    wanted.put("kafka's controller (MLOPS_KAFKA_CONTROLLER_PORT)", settings.kafkaControllerPort());
                }
                case S3 -> wanted.put("s3 (MLOPS_S3_PORT)", settings.s3Port());
                case REGISTRY -> wanted.put("the image registry (MLOPS_REGISTRY_PORT)", settings.registryPort());
                case PODMAN -> {
                    // a unix socket in the state folder, no port
                }
                default -> wanted.put("postgres (MLOPS_PG_PORT)", settings.postgresPort());
            }
        }
        for (ServiceModule service : services) {
            wanted.put(service.name() + " (" + service.portVariable() + ")", settings.port(service));
        }
        List<String> problems = new ArrayList<>();
        Map<Integer, String> claimed = new LinkedHashMap<>();
        wanted.forEach((what, port) -> {
            String other = claimed.putIfAbsent(port, what);
            if (other != null) {
                problems.add("port " + port + " is configured for both " + other + " and " + what);
            } else if (!Network.isFree(port)) {
                problems.add("port " + port + " for " + what + " is in use by another program");
            }
        });
        if (!problems.isEmpty()) {
            throw new CliException("cannot start the local stack; nothing was started:\n  " + String.join("\n  ", problems)
                    + "\nStop what uses the port, or choose another port with the variable named in brackets,"
                    + " e.g. MLOPS_KAFKA_PORT=19092 ./mlops up");
        }
    }

    private InfraStarts startInfra(List<String> names, Credentials credentials) {
        if (!names.isEmpty()) {
            out.println("starting " + String.join(", ", names) + " (logs in " + state.logs() + ")...");
        }
        LocalServers servers = new LocalServers(StackLayout.load(), state.logs(), false,
                Stream.concat(DeferredOptimization.options().stream(), NoPerfData.options().stream()).toList());
        InfraStarts starting = new InfraStarts(names);
        for (String name : names) {
            starting.submit(name, () -> startInfra(servers, name, credentials));
        }
        return starting;
    }

    /** The infrastructure's servers, starting side by side; each is reported as it becomes ready. */
    private final class InfraStarts {

        private final ExecutorService pool;
        private final CompletionService<PidRecord> starts;
        private final Map<Future<PidRecord>, String> pending = new LinkedHashMap<>();
        private final long begin = System.nanoTime();
        private final List<String> failures = new ArrayList<>();

        InfraStarts(List<String> names) {
            pool = Executors.newFixedThreadPool(Math.max(1, names.size()), start -> {
                Thread thread = new Thread(start, "infra-start");
                thread.setDaemon(true); // a failed up must not be kept alive by a start it no longer waits for
                return thread;
            });
            starts = new ExecutorCompletionService<>(pool);
        }

        void submit(String name, Callable<PidRecord> start) {
            pending.put(starts.submit(start), name);
        }

        /** Waits until every server {@code needed} names is ready (reporting the others that become ready meanwhile). */
        void await(Predicate<String> needed) {
            try {
                while (pending.values().stream().anyMatch(needed)) {
                    Future<PidRecord> done = starts.take();
                    report(pending.remove(done), done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while starting " + String.join(", ", pending.values()));
            } finally {
                if (pending.isEmpty()) {
                    pool.shutdownNow();
                }
            }
            if (!failures.isEmpty()) {
                pool.shutdownNow();
                throw new CliException("could not start " + String.join("\n", failures) + "\n" + keepsRunningHint());
            }
        }

        void awaitAll() {
            await(name -> true);
        }

        private void report(String name, Future<PidRecord> done) throws InterruptedException {
            try {
                PidRecord record = done.get();
                out.println("  " + name + " ready at " + record.address() + " ("
                        + Durations.format(Duration.ofNanos(System.nanoTime() - begin)) + ")");
            } catch (ExecutionException e) {
                if (IMAGE_INFRA.contains(name)) {
                    // the platform runs without them: images go to tarballs, no container deploy target
                    out.println("  " + name + " could not start, going on without it: " + e.getCause().getMessage());
                } else {
                    failures.add(name + ": " + e.getCause().getMessage());
                }
            }
        }
    }

    private PidRecord startInfra(LocalServers servers, String name, Credentials credentials) {
        ServerProcess process;
        int port;
        String address;
        switch (name) {
            case KAFKA -> {
                port = settings.kafkaPort();
                address = Network.HOST + ":" + port;
                process = servers.kafka(port, settings.kafkaControllerPort(), state.kafkaData(), Topics.all());
            }
            case S3 -> {
                port = settings.s3Port();
                address = "http://" + Network.HOST + ":" + port + " (bucket " + settings.bucket() + ")";
                process = servers.s3(port, state.s3Data(), settings.bucket(), credentials.s3AccessKey(),
                        credentials.s3SecretKey());
            }
            case REGISTRY -> {
                port = settings.registryPort();
                address = Network.HOST + ":" + port;
                process = new ImageInfra(stack).startRegistry(address);
            }
            case PODMAN -> {
                port = 0;
                address = LocalStack.dockerHostOf(state.podmanSocket());
                process = new ImageInfra(stack).startPodman();
            }
            default -> {
                port = settings.postgresPort();
                address = "jdbc:postgresql://" + Network.HOST + ":" + port + "/" + CliSettings.DB_NAME;
                process = servers.postgres(port, state.postgresData(), CliSettings.DB_NAME, credentials.dbUser(),
                        credentials.dbPassword());
            }
        }
        PidRecord record = PidRecord.of(name, process.handle(), port, address, process.logFile());
        record.write(state.pids());
        return record;
    }

    /**
     * Every service at once. image-svc gets the serving base's location, known ahead, and the base is built (or found up
     * to date) while they all start; only when the location cannot be told ahead does image-svc wait for the build.
     */
    private List<ServiceLauncher.Started> launchServices(List<ServiceModule> services, Credentials credentials) {
        if (services.isEmpty()) {
            return List.of();
        }
        boolean withImageService = services.stream().anyMatch(s -> s.name().equals(IMAGE_SERVICE));
        Optional<String> baseAhead = withImageService
                ? new ImageBuilds(settings, out).servingBaseLocation(stack.imageRegistry()) : Optional.empty();
        List<ServiceLauncher.Started> started = new ArrayList<>();
        out.println("starting " + String.join(", ", services.stream().map(ServiceModule::name).toList()) + "...");
        for (ServiceModule service : services) {
            if (!service.name().equals(IMAGE_SERVICE) || baseAhead.isPresent()) {
                started.add(launch(service, credentials, baseAhead));
            }
        }
        Optional<String> built = servingBaseFor(services);
        if (withImageService && baseAhead.isEmpty()) {
            started.add(launch(services.stream().filter(s -> s.name().equals(IMAGE_SERVICE)).findFirst().orElseThrow(),
                    credentials, built));
        }
        return started;
    }

    private ServiceLauncher.Started launch(ServiceModule service, Credentials credentials, Optional<String> imageBase) {
        int port = settings.port(service);
        return launcher().start(service, port, stack.processEnvironment(service, port, credentials, imageBase));
    }

    private void awaitServices(List<ServiceLauncher.Started> started) {
        ServiceLauncher launcher = launcher();
        List<String> failures = new ArrayList<>();
        for (ServiceLauncher.Started s : started) {
            awaiting(s.service(), s.port());
            launcher.awaitReady(s, SERVICE_READY_TIMEOUT).ifPresentOrElse(failures::add,
                    () -> ready(s.service(), s.port(), s.startedNanos()));
        }
        failIfAny(failures);
    }

    private ServiceLauncher launcher() {
        return new ServiceLauncher(settings.home(), state);
    }

    /** The services as containers of their images (built first when missing), on the host's network. */
    private void startContainers(List<ServiceModule> services, Credentials credentials, Optional<String> imageBase) {
        if (services.isEmpty()) {
            return;
        }
        Podman podman = stack.podman();
        Map<ServiceModule, String> images = new ContainerImages(stack, podman, new ImageBuilds(settings, out))
                .ensure(services);
        ContainerLauncher launcher = new ContainerLauncher(stack, podman);
        List<ContainerLauncher.Started> started = new ArrayList<>();
        out.println("starting " + String.join(", ", services.stream().map(ServiceModule::name).toList())
                + " as containers...");
        for (ServiceModule service : services) {
            int port = settings.port(service);
            out.println("  " + service.name() + ": " + images.get(service));
            started.add(launcher.start(service, images.get(service), port,
                    stack.environment(service, port, credentials, imageBase)));
        }
        List<String> failures = new ArrayList<>();
        for (ContainerLauncher.Started s : started) {
            awaiting(s.service(), s.port());
            launcher.awaitReady(s, SERVICE_READY_TIMEOUT).ifPresentOrElse(failures::add,
                    () -> ready(s.service(), s.port(), s.startedNanos()));
        }
        failIfAny(failures);
    }

    private void awaiting(ServiceModule service, int port) {
        out.println("  waiting for " + service.name() + " (" + ServiceLauncher.address(port) + "/q/health/ready)...");
    }

    private void ready(ServiceModule service, int port, long startedNanos) {
        out.println("  " + service.name() + " ready at " + ServiceLauncher.address(port) + " ("
                + Durations.format(Duration.ofNanos(System.nanoTime() - startedNanos)) + ")");
    }

    private void failIfAny(List<String> failures) {
        if (!failures.isEmpty()) {
            throw new CliException(String.join("\n", failures) + "\n" + keepsRunningHint());
        }
    }

    private String keepsRunningHint() {
        return "What did start keeps running: ./mlops status shows it, ./mlops down stops it.";
    }

}
