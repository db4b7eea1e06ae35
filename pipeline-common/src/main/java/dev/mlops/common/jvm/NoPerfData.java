package dev.mlops.common.jvm;

import java.util.List;

/**
 * The option that stops a JVM sampling its performance counters into {@code /tmp/hsperfdata_<user>/<pid>} twenty
 * times a second: the one thing an idle JVM of the stack does besides its own timers (~0.05% of a core each, nine
 * JVMs). Only {@code jps} and {@code jstat} read that file; {@code jcmd <pid>} and JFR work without it. For JVMs
 * started from this one's Java runtime, and only when it knows the flag.
 */
public final class NoPerfData {

    static final String FLAG = "UsePerfData";

    private NoPerfData() {
    }

    /** The option for a child JVM of this Java runtime, or none when the runtime lacks the flag. */
    public static List<String> options() {
        return HotSpotFlags.known(FLAG) ? List.of("-XX:-" + FLAG) : List.of();
    }
}
