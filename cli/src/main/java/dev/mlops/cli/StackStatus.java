package dev.mlops.cli;

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
        for (ServiceModule service : ServiceModule.ALL) {
            Optional<PidRecord> record = stack.running(service.name());
            if (record.isPresent()) {
                table.row(service.name(), "running", record.get().pid(), record.get().address(),
                        health(Network.readiness(record.get().port())));
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

    static String health(int readinessStatus) {
        return switch (readinessStatus) {
            case 200 -> "UP";
            case 0 -> "not answering";
            case 503 -> "DOWN (/q/health/ready answers 503)";
            default -> "/q/health/ready answers " + readinessStatus;
        };
    }
}
