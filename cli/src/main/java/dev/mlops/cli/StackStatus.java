package dev.mlops.cli;

import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.PodmanService;

import java.util.Optional;

/** The table {@code up} and {@code status} print: each component, whether it runs, its pid, address and health. */
final class StackStatus {

    private StackStatus() {
    }

    static String table(LocalStack stack) {
        Table table = new Table("COMPONENT", "STATE", "PID", "ADDRESS", "HEALTH");
        for (String name : LocalStack.INFRA) {
            if (name.equals(LocalStack.POSTGRES) && stack.usesExternalDb()) {
                table.row(name, "external", null, stack.jdbcUrl(), "not checked (MLOPS_DB_URL)");
                continue;
            }
            Optional<PidRecord> record = stack.running(name);
            Optional<ProcessHandle> leftover = name.equals(LocalStack.POSTGRES) && record.isEmpty()
                    ? PostgresData.postmaster(stack.settings().state().postgresData()) : Optional.empty();
            if (leftover.isPresent()) {
                table.row(name, "left over", leftover.get().pid(), null, "its launcher is gone: ./mlops down stops it");
                continue;
            }
            table.row(name, record.isPresent() ? "running" : "stopped", record.map(PidRecord::pid).orElse(null),
                    stack.address(name),
                    record.map(r -> Network.accepts(r.port()) ? "accepting connections" : "not answering").orElse(null));
        }
        imageInfraRows(stack, table);
        for (ServiceModule service : ServiceModule.ALL) {
            Optional<PidRecord> record = stack.running(service.name());
            if (record.isPresent()) {
                table.row(service.name(), record.get().container().isPresent()
                                ? "container " + record.get().shortContainer() : "running",
                        record.get().pid(), record.get().address(),
                        health(Network.health(record.get().port())));
            } else if (service.isBuilt(stack.settings().home())) {
                table.row(service.name(), "stopped", null, stack.address(service.name()), null);
            } else {
                table.row(service.name(), "not built", null, null, null);
            }
        }
        stack.running(Observer.PROMETHEUS).ifPresent(r -> table.row(Observer.PROMETHEUS, "running", r.pid(), r.address(),
                Network.accepts(r.port()) ? "accepting connections" : "not answering"));
        return table.toString();
    }

    private static void imageInfraRows(LocalStack stack, Table table) {
        Optional<String> external = stack.settings().externalRegistry();
        Optional<PidRecord> registry = stack.running(LocalStack.REGISTRY);
        if (external.isPresent()) {
            table.row(LocalStack.REGISTRY, "external", null, external.get(), "not checked (MLOPS_IMAGE_REGISTRY)");
        } else if (registry.isPresent()) {
            table.row(LocalStack.REGISTRY, "running", registry.get().pid(), registry.get().address(),
                    Network.accepts(registry.get().port()) ? "accepting connections" : "not answering");
        } else {
            table.row(LocalStack.REGISTRY, DockerRegistry.isInstalled() ? "stopped" : "not installed", null,
                    stack.localRegistryAddress(), DockerRegistry.isInstalled() ? null
                            : "apt-get install docker-registry; until then images are tarballs");
        }
        Optional<PidRecord> podman = stack.running(LocalStack.PODMAN);
        if (podman.isPresent()) {
            table.row(LocalStack.PODMAN, "running", podman.get().pid(), podman.get().address(),
                    PodmanService.answers(stack.settings().state().podmanSocket()) ? "Docker Engine API answers"
                            : "not answering");
        } else {
            table.row(LocalStack.PODMAN, PodmanService.isInstalled() ? "stopped" : "not installed", null,
                    stack.address(LocalStack.PODMAN), PodmanService.isInstalled() ? null
                            : "apt-get install podman runc; needed by --containers and deploy.target container");
        }
    }

    /** From what {@code /q/health} (liveness and readiness) answers. */
    static String health(int healthStatus) {
        return switch (healthStatus) {
            case 200 -> "UP";
            case 0 -> "not answering";
            case 503 -> "DOWN (/q/health answers 503): needs a restart, ./mlops up restarts it";
            default -> "/q/health answers " + healthStatus;
        };
    }
}
