package dev.mlops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LogsTest {

    @Test
    void aContainersLogShowsItsMessagesWithoutPodmansPrefixOrStackFrames(@TempDir Path dir) throws Exception {
        // what podman's k8s-file driver writes for a service that failed to start
        Path log = Files.writeString(dir.resolve("tracking-svc.log"), """
                2026-12-03T10:57:27.402516429+00:00 stdout F ERROR [io.qua.run.Quarkus] Error running Quarkus
                2026-12-03T10:57:27.402516429+00:00 stdout F \tat io.quarkus.runtime.Quarkus.run(Quarkus.java:78)
                2026-12-03T10:57:27.402516429+00:00 stderr F Caused by: java.lang.ClassNotFoundException: java.rmi.RemoteException
                2026-12-03T10:57:27.402516429+00:00 stdout F \t... 16 more
                """);

        assertThat(Logs.tail(log, 0, 30)).isEqualTo("    ERROR [io.qua.run.Quarkus] Error running Quarkus\n"
                + "    Caused by: java.lang.ClassNotFoundException: java.rmi.RemoteException");
    }
}
