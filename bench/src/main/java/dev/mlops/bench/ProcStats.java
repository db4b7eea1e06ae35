package dev.mlops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What Linux' {@code /proc} says about a process and its descendants (PostgreSQL's server processes, model-server
 * started by deploy-svc): resident memory from {@code status} and CPU time from {@code stat}.
 */
final class ProcStats {

    /** USER_HZ: the unit of {@code utime} and {@code stime}; 100 on every Linux this runs on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** The process and what it started, alive now. */
    static List<Long> tree(long pid) {
        return ProcessHandle.of(pid).map(p -> Stream.concat(Stream.of(p), p.descendants()).map(ProcessHandle::pid)
                .toList()).orElse(List.of());
    }

    /** Resident memory of these processes, in bytes; 0 for one that is gone. */
    static long rssBytes(List<Long> pids) {
        return pids.stream().mapToLong(p -> read(p, "status").map(ProcStats::vmRssBytes).orElse(0L)).sum();
    }

    /** CPU time (user + system) these processes used so far, in seconds. */
    static double cpuSeconds(List<Long> pids) {
        return pids.stream().mapToLong(p -> read(p, "stat").map(ProcStats::cpuTicks).orElse(0L)).sum()
                / TICKS_PER_SECOND;
    }

    /** {@code VmRSS:   123456 kB} of a {@code /proc/<pid>/status} text, in bytes (0 without the line: a zombie). */
    static long vmRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field 2) is in
     * brackets and may hold spaces and brackets itself, so the fields are counted from its last ')'.
     */
    static long cpuTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }

    private static Optional<String> read(long pid, String file) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", String.valueOf(pid), file)));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }
}
