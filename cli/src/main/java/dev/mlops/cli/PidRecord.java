package dev.mlops.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <state>/pids/<name>.pid}: a process this CLI started, where it listens and where it logs.
 * The start time guards against a recycled pid: a live process with another start time is not ours.
 * A service run as a container ({@code up --containers}) is recorded with the container's id and its main process.
 *
 * @param startedAt the process' start time in epoch milliseconds, 0 when the OS does not tell
 * @param container the podman container id when the process is a container's, else empty
 */
record PidRecord(String name, long pid, long startedAt, int port, String address, Path log, Optional<String> container) {

    private static final long START_TIME_TOLERANCE_MS = 2000;

    static PidRecord of(String name, ProcessHandle process, int port, String address, Path log) {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new PidRecord(name, process.pid(), started, port, address, log, Optional.empty());
    }

    PidRecord inContainer(String containerId) {
        return new PidRecord(name, pid, startedAt, port, address, log, Optional.of(containerId));
    }

    /** The container id as podman shows it (12 characters), or "-". */
    String shortContainer() {
        return container.map(id -> id.substring(0, Math.min(12, id.length()))).orElse("-");
    }

    static Path file(Path pidsDir, String name) {
        return pidsDir.resolve(name + ".pid");
    }

    static Optional<PidRecord> read(Path pidsDir, String name) {
        Path file = file(pidsDir, name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
            return Optional.of(new PidRecord(name, Long.parseLong(p.getProperty("pid").trim()),
                    Long.parseLong(p.getProperty("started", "0").trim()), Integer.parseInt(p.getProperty("port").trim()),
                    p.getProperty("address", ""), Path.of(p.getProperty("log", "")),
                    Optional.ofNullable(p.getProperty("container")).filter(id -> !id.isBlank())));
        } catch (IOException | RuntimeException e) {
            // a damaged pid file cannot name a process of ours
            return Optional.empty();
        }
    }

    static void delete(Path pidsDir, String name) {
        try {
            Files.deleteIfExists(file(pidsDir, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path pidsDir) {
        Properties p = new Properties();
        p.setProperty("pid", String.valueOf(pid));
        p.setProperty("started", String.valueOf(startedAt));
        p.setProperty("port", String.valueOf(port));
        p.setProperty("address", address);
        p.setProperty("log", log.toString());
        container.ifPresent(id -> p.setProperty("container", id));
        try {
            Files.createDirectories(pidsDir);
            try (Writer out = Files.newBufferedWriter(file(pidsDir, name))) {
                p.store(out, name + ", started by ./mlops up");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the pid file of " + name, e);
        }
    }

    /** The process, if it is still alive and still the one that was started. */
    Optional<ProcessHandle> liveProcess() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
    }

    private boolean sameStart(ProcessHandle handle) {
        if (startedAt == 0) {
            return true;
        }
        return handle.info().startInstant()
                .map(i -> Math.abs(i.toEpochMilli() - startedAt) <= START_TIME_TOLERANCE_MS)
                .orElse(true);
    }
}
