package dev.mlops.common.jvm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options that keep C2, HotSpot's optimizing compiler, for code that stays hot: a method is compiled by C2 after ten
 * times HotSpot's default invocation and loop counts (C1 compiles it as before). Starting the stack on 2 cores, C2 took
 * about a third of the CPU compiling start-up code that runs a few thousand times and never again: every JVM of
 * {@code ./mlops up} used 35 s of CPU with the defaults, 27 s with these counts (22 s on C1 alone). A grid search's,
 * a scoring loop's or a request path's methods pass the higher counts within a second of work and get C2 code as
 * before. For JVMs started from this one's Java runtime, and only when it knows the flags.
 */
public final class DeferredOptimization {

    /** HotSpot's defaults (JDK 17 to 25) times ten. */
    static final Map<String, Integer> C2_THRESHOLDS = thresholds();

    private DeferredOptimization() {
    }

    /** The options for a child JVM of this Java runtime, or none when the runtime lacks the flags. */
    public static List<String> options() {
        return HotSpotFlags.optionsIfAllKnown(C2_THRESHOLDS);
    }

    private static Map<String, Integer> thresholds() {
        Map<String, Integer> flags = new LinkedHashMap<>();
        flags.put("Tier4InvocationThreshold", 50_000);
        flags.put("Tier4MinInvocationThreshold", 6_000);
        flags.put("Tier4CompileThreshold", 150_000);
        flags.put("Tier4BackEdgeThreshold", 400_000);
        return flags;
    }
}
