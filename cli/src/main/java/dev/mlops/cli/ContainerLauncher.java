package dev.mlops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mlops up --containers}: a service as a podman container of its image ({@code mlops/<module>:<version>}),
 * on the host's network (the data servers stay processes on loopback), as the CLI's user (so that it reads what the
 * process would: the datasets folders, the podman socket), with the environment the process would get. Its output goes
 * to the same log file as the process'; the container's main process is recorded in the pid file beside its id.
 */
final class ContainerLauncher {

    static final String STATE_LABEL = "dev.mlops.state";
    /** deploy-svc's mlops.deploy.local.state-dir. */
    static final String DEPLOY_STATE_VARIABLE = "MLOPS_DEPLOY_LOCAL_STATE_DIR";
    private static final Duration PODMAN_TIMEOUT = Duration.ofMinutes(5);
    /** What a process inherits from the CLI and a container would not see unless passed. */
    private static final List<String> INHERITED_PREFIXES = List.of("MLOPS_", "QUARKUS_", "KAFKA_");

    private final LocalStack stack;
    private final CliSettings settings;
    private final StateDir state;
    private final Podman podman;

    ContainerLauncher(LocalStack stack, Podman podman) {
        this.stack = stack;
        this.settings = stack.settings();
        this.state = settings.state();
        this.podman = podman;
    }

    /** A started container, not yet known to be ready. */
    record Started(ServiceModule service, String container, ProcessHandle process, int port, long logStart,
                   long startedNanos) {
    }

    /** {@code mlops-<module>-<port>}: unique on the machine, since every container shares the host's ports. */
    static String containerName(ServiceModule service, int port) {
        return "mlops-" + service.name() + "-" + port;
    }

    Started start(ServiceModule service, String image, int port, Map<String, String> serviceEnv) {
        Map<String, String> env = environment(withOwnState(service, serviceEnv));
        Path log = state.log(service.name());
        Path envFile = state.root().resolve("containers").resolve(service.name() + ".env");
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--replace",
                "--name", containerName(service, port), "--label", STATE_LABEL + "=" + state.root(),
                "--network", "host", "--user", userAndGroup(), "--env-file", envFile.toString(),
                "--log-driver", "k8s-file", "--log-opt", "path=" + log));
        if (image.startsWith(settings.externalRegistry().orElse(stack.localRegistryAddress()) + "/")) {
            args.add("--pull=newer");   // ./mlops images pushed a new one since the last pull
        }
        for (Path folder : mounts(service, env)) {
            args.addAll(List.of("--volume", folder + ":" + folder));
        }
        args.add(image);
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            if (env.containsKey(DEPLOY_STATE_VARIABLE)) {
                Files.createDirectories(Path.of(env.get(DEPLOY_STATE_VARIABLE)));
            }
            writeOwnerOnly(envFile, env);
            Podman.Result run;
            try {
                run = podman.run(PODMAN_TIMEOUT, args);
            } finally {
                Files.deleteIfExists(envFile);
            }
            if (!run.ok()) {
                throw new CliException("could not start " + service.name() + "'s container from " + image + ": "
                        + run.problem());
            }
            String id = run.stdout().strip();
            ProcessHandle process = mainProcess(id).orElseThrow(() -> new CliException(service.name()
                    + "'s container exited right away; " + remove(List.of(id), Duration.ZERO).problem()
                    + "; the end of its log (" + log + "):\n" + Logs.tail(log, logStart, 30)));
            PidRecord.of(service.name(), process, port, ServiceLauncher.address(port), log).inContainer(id)
                    .write(state.pids());
            return new Started(service, id, process, port, logStart, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service.name() + "'s container", e);
        }
    }

    /** Waits until the service is ready; empty when it is, else what went wrong (the container is then removed). */
    Optional<String> awaitReady(Started started, Duration timeout) {
        String name = started.service().name();
        ServiceLauncher.Readiness readiness = ServiceLauncher.awaitReadiness(started.process()::isAlive,
                started.port(), started.startedNanos() + timeout.toNanos());
        if (readiness == ServiceLauncher.Readiness.READY) {
            return Optional.empty();
        }
        String how = readiness == ServiceLauncher.Readiness.EXITED
                ? "'s container (" + started.container() + ") exited with code " + exitCode(started.container())
                + " before it was ready"
                : " did not answer GET " + ServiceLauncher.address(started.port()) + "/q/health/ready with 200 within "
                + timeout.toSeconds() + " s and its container was removed";
        String tail = Logs.tail(state.log(name), started.logStart(), 30);
        remove(List.of(started.container()), Duration.ofSeconds(10));
        PidRecord.delete(state.pids(), name);
        return Optional.of(name + how + "; the end of its log (" + state.log(name) + "):\n" + tail);
    }

    /** {@code podman rm --force}: SIGTERM, SIGKILL after {@code grace}, then removed (side by side). */
    Podman.Result remove(List<String> containers, Duration grace) {
        List<String> args = new ArrayList<>(List.of("rm", "--force", "--ignore", "--time",
                String.valueOf(grace.toSeconds())));
        args.addAll(containers);
        return podman.run(PODMAN_TIMEOUT.plus(grace), args);
    }

    /**
     * deploy-svc's state folder on the host, where the process keeps it: {@code current.json} names the model
     * container it serves, so that a restarted deploy-svc container adopts it and {@code ./mlops down} removes it
     * (inside the container's own file system both were lost, and down left the model running).
     */
    Map<String, String> withOwnState(ServiceModule service, Map<String, String> serviceEnv) {
        if (!service.name().equals("deploy-svc")) {
            return serviceEnv;
        }
        Map<String, String> env = new LinkedHashMap<>(serviceEnv);
        env.put(DEPLOY_STATE_VARIABLE, state.deployState().toString());
        return env;
    }

    /**
     * The service's environment as its process would see it: the user's MLOPS_, QUARKUS_ and KAFKA_ variables (a
     * process inherits them), then what {@code up} sets.
     */
    Map<String, String> environment(Map<String, String> serviceEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.env().forEach((name, value) -> {
            if (INHERITED_PREFIXES.stream().anyMatch(name::startsWith)) {
                env.put(name, value);
            }
        });
        env.putAll(serviceEnv);
        env.forEach((name, value) -> {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new CliException(name + " has a line break, which a container's environment file cannot hold");
            }
        });
        return env;
    }

    /**
     * What the container must see at the same path as the process: ingest's file roots (datasets), image-svc's base
     * tarball, deploy-svc's podman socket and state folder.
     */
    List<Path> mounts(ServiceModule service, Map<String, String> env) {
        List<Path> mounts = new ArrayList<>();
        switch (service.name()) {
            case "ingest-svc" -> {
                for (String root : env.getOrDefault("MLOPS_INGEST_FILE_ROOTS", "").split(",")) {
                    if (!root.isBlank() && Files.isDirectory(Path.of(root.trim()))) {
                        mounts.add(Path.of(root.trim()));
                    }
                }
            }
            case "image-svc" -> Optional.ofNullable(env.get("MLOPS_IMAGE_BASE")).filter(b -> b.startsWith("tar:"))
                    .map(b -> Path.of(b.substring(4)).toAbsolutePath().getParent()).ifPresent(mounts::add);
            case "deploy-svc" -> {
                Optional.ofNullable(env.get(LocalStack.DOCKER_HOST_VARIABLE))
                        .filter(h -> h.startsWith("unix://")).map(h -> Path.of(h.substring("unix://".length())))
                        .ifPresent(mounts::add);
                Optional.ofNullable(env.get(DEPLOY_STATE_VARIABLE)).map(Path::of).ifPresent(mounts::add);
            }
            default -> {
            }
        }
        return mounts;
    }

    private Optional<ProcessHandle> mainProcess(String container) {
        Podman.Result inspect = podman.run(PODMAN_TIMEOUT, "inspect", "--format", "{{.State.Pid}}", container);
        try {
            long pid = Long.parseLong(inspect.stdout().strip());
            return pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String exitCode(String container) {
        Podman.Result inspect = podman.run(PODMAN_TIMEOUT, "inspect", "--format", "{{.State.ExitCode}}", container);
        return inspect.ok() ? inspect.stdout().strip() : "unknown";
    }

    /** The CLI's user and group: the services run as them as processes, and read what only they may. */
    private String userAndGroup() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid") + ":"
                    + Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new CliException("could not tell this process' user id: " + e.getMessage());
        }
    }

    private static void writeOwnerOnly(Path file, Map<String, String> env) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder text = new StringBuilder();
        env.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        Files.writeString(file, text);
    }
}
