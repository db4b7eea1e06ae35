package dev.mlops.cli;

import dev.mlops.common.jvm.DeferredOptimization;
import dev.mlops.common.jvm.NativeHeapTrim;
import dev.mlops.common.jvm.NoPerfData;
import dev.mlops.common.jvm.QuickCompilation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JVM options {@code ./mlops up} starts each service with (cli/README.md says why): a small initial heap that
 * grows to {@link #MAX_HEAP} ({@link #TRAIN_MAX_HEAP} for train-svc); the serial collector for the services whose
 * work is a request or an event at a time (train-svc keeps G1 for its parallel grid search); C1 alone, compiling
 * early ({@link QuickCompilation}: the per-event code of a service that sees an event every few seconds is compiled
 * after a few events instead of staying interpreted or profiled), but for train-svc, which keeps C2 for what stays
 * hot ({@link DeferredOptimization}); the C heap freed after a run handed back to the system ({@link NativeHeapTrim});
 * and no performance-counter sampling while idle ({@link NoPerfData}).
 */
public final class JvmOptions {

    static final String MAX_HEAP = "-Xmx512m";
    /**
     * A grid search holds each fold's sorted columns and the forests it grows at once: up to 1.5 GiB for the
     * 1,000,000-row scale run, where every other stage streams or chunks within {@link #MAX_HEAP}.
     */
    static final String TRAIN_MAX_HEAP = "-Xmx1536m";
    /**
     * G1 gives heap back only after a collection: an idle train-svc collects every 30 s, so what a large search took is
     * not kept resident while nothing runs.
     */
    static final String RETURN_IDLE_HEAP = "-XX:G1PeriodicGCInterval=30000";
    static final String INITIAL_HEAP = "-Xms32m";
    /** Fits trees in parallel on every core: the JVM's default collector, G1, suits its allocation rate. */
    private static final Set<String> PARALLEL_WORK = Set.of("train-svc");
    /**
     * glibc gives every thread that allocates natively an arena of its own (up to 8 per core) and keeps what it freed
     * there: the JIT's and Netty's allocations leave tens of MB resident per service. Two arenas are plenty.
     */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private JvmOptions() {
    }

    /** The -Xmx option {@code ./mlops up} gives the service {@code name} (e.g. "train-svc"). */
    public static String maxHeap(String name) {
        return PARALLEL_WORK.contains(name) ? TRAIN_MAX_HEAP : MAX_HEAP;
    }

    static List<String> of(ServiceModule service) {
        List<String> options = new ArrayList<>(List.of(INITIAL_HEAP, maxHeap(service.name())));
        if (PARALLEL_WORK.contains(service.name())) {
            options.add(RETURN_IDLE_HEAP);
        } else {
            options.add("-XX:+UseSerialGC");
        }
        options.addAll(PARALLEL_WORK.contains(service.name()) ? DeferredOptimization.options()
                : QuickCompilation.options());
        options.addAll(NativeHeapTrim.options());
        options.addAll(NoPerfData.options());
        return options;
    }
}
