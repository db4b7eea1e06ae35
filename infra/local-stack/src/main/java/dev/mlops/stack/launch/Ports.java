package dev.mlops.stack.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free loopback ports for servers started on this machine (tests, benchmarks, scratch stacks). */
public final class Ports {

    private Ports() {
    }

    /** A port nothing listens on right now; the caller's server takes it soon after. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
