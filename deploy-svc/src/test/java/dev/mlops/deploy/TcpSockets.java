package dev.mlops.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine's TCP sockets as Linux lists them in /proc/net/tcp (IPv4) and /proc/net/tcp6. */
final class TcpSockets {

    private TcpSockets() {
    }

    /** Sockets in any state (established, TIME_WAIT, ...) whose remote end is {@code port} on this machine. */
    static int toPort(int port) throws IOException {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        int count = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 2 && columns[2].endsWith(hexPort)) {
                    count++;
                }
            }
        }
        return count;
    }
}
