package dev.mlops.stack.server;

import java.util.concurrent.CountDownLatch;

/** What every server main shares: the READY line launchers wait for, and ending with the parent that started it. */
final class ServerLifecycle {

    static final String READY = "READY";

    private ServerLifecycle() {
    }

    /** Prints the line a launcher waits for. */
    static void ready(String what) {
        System.out.println(READY + " " + what);
        System.out.flush();
    }

    /**
     * When started by a test JVM ({@code --parent-pid}), exit as soon as that JVM is gone, so a killed test run
     * leaves no broker behind. Exiting runs the shutdown hooks, which stop the server cleanly.
     */
    static void exitWithParent(Args args) {
        String parent = args.get("parent-pid", "");
        if (parent.isEmpty()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
    }

    static void awaitForever() throws InterruptedException {
        new CountDownLatch(1).await();
    }
}
