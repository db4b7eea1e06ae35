package dev.mlops.common.jvm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options for a service whose work arrives an event or a request at a time: C1 only, HotSpot's quick compiler, which
 * compiles a method after a tenth of its default counts. A stage sees an event every few seconds, so with the
 * defaults its per-event code (the Kafka client's fetch and send, SmallRye's dispatch, Jackson, the stage's own
 * steps) ran interpreted for its first 200 events and in C1's profiling tier (a third slower) for as long as the
 * service ran: C2 compiles only what runs thousands of times. Not for long loops: train-svc's grid search ran a
 * third slower on C1 alone at 100,000 rows (BENCHMARKS.md, issue 15 round 8). For JVMs started from this one's Java
 * runtime, and only when it knows the flags.
 */
public final class QuickCompilation {

    /** C1 alone; a method compiled after 20 calls (10 with loops) instead of 200, or 200 calls and loop iterations. */
    static final Map<String, Integer> FLAGS = flags();

    private QuickCompilation() {
    }

    /** C1 alone, compiling early: options for a child JVM of this Java runtime, or none when it lacks the flags. */
    public static List<String> options() {
        return HotSpotFlags.optionsIfAllKnown(FLAGS);
    }

    private static Map<String, Integer> flags() {
        Map<String, Integer> flags = new LinkedHashMap<>();
        flags.put("TieredStopAtLevel", 1);
        flags.put("Tier3InvocationThreshold", 20);
        flags.put("Tier3MinInvocationThreshold", 10);
        flags.put("Tier3CompileThreshold", 200);
        return flags;
    }
}
