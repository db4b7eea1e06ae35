package dev.mlops.cli;

import java.util.function.Supplier;

/**
 * What to do if the CLI is stopped (Ctrl-C, which ./mlops turns into SIGTERM) in the middle of some work:
 * the action runs as a shutdown hook only while the work is under way.
 */
final class Interruption {

    private Interruption() {
    }

    static <T> T guard(Runnable onInterrupt, Supplier<T> work) {
        Thread hook = new Thread(onInterrupt, "mlops-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs
            }
        }
    }
}
