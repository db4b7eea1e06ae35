package dev.mlops.common.jvm;

import java.util.List;

/**
 * The option that makes a JVM hand the C heap it freed back to the system every few seconds. glibc keeps what the
 * JIT compilers, Netty and the class loaders freed in its arenas: a service holds 14-24 MiB more after a run than it
 * needs (measured with {@code jcmd <pid> System.trim_native_heap}). For JVMs started from this one's Java runtime,
 * and only when that runtime knows the option (OpenJDK 17.0.9 and later): an older one would refuse to start.
 */
public final class NativeHeapTrim {

    static final String FLAG = "TrimNativeHeapInterval";
    static final String OPTION = "-XX:" + FLAG + "=5000";

    private NativeHeapTrim() {
    }

    /** The option for a child JVM of this Java runtime, or none when the runtime lacks it. */
    public static List<String> options() {
        return supported() ? List.of(OPTION) : List.of();
    }

    static boolean supported() {
        return HotSpotFlags.known(FLAG);
    }
}
