package dev.mlops.tracking;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops the real PostgreSQL server a test talks to and starts it again, with its data and options kept: finds the
 * postmaster (the parent of this connection's backend process), its data folder (the postmaster's working
 * directory) and the pg_ctl beside its binary. {@code pg_ctl stop -m fast} ends every session, so the service's
 * pooled connections break as in a real outage; {@code pg_ctl restart} on a stopped server starts it with the
 * options it last ran with (postmaster.opts). pg_ctl refuses to run as root, so as root it runs in a user
 * namespace ({@code unshare -U}), the way zonky's launcher starts and stops the server. Linux only.
 */
final class PostgresOutage {

    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(60);

    private final Path pgCtl;
    private final Path dataDir;
    private final Path log;

    private PostgresOutage(Path pgCtl, Path dataDir, Path log) {
        this.pgCtl = pgCtl;
        this.dataDir = dataDir;
        this.log = log;
    }

    static PostgresOutage of(DataSource dataSource) throws SQLException, IOException {
        long backend;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getLong(1);
        }
        ProcessHandle postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new IllegalStateException("no postmaster above backend " + backend));
        Path binary = Path.of(postmaster.info().command()
                .orElseThrow(() -> new IllegalStateException("cannot see the postmaster's binary")));
        Path dataDir = Files.readSymbolicLink(Path.of("/proc", String.valueOf(postmaster.pid()), "cwd"));
        return new PostgresOutage(binary.resolveSibling("pg_ctl"), dataDir, Path.of("target", "postgres-outage.log"));
    }

    void stop() {
        pgCtl("stop", "-D", dataDir.toString(), "-m", "fast", "-w");
    }

    void start() {
        pgCtl("restart", "-D", dataDir.toString(), "-w");
    }

    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgCtl.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(PG_CTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed; see " + log.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + pgCtl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running pg_ctl", e);
        }
    }
}
