package dev.mlops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchStackTest {

    @Test
    void everyPortIsSetAndNothingExternalIsInherited(@TempDir Path home) {
        Path state = home.resolve("scratch-state");
        Map<String, String> inherited = Map.of("MLOPS_DB_URL", "jdbc:postgresql://db.example/mlops",
                "MLOPS_TRACKING_URL", "http://tracking.example", "MLOPS_KAFKA_PORT", "9092", "KEPT", "yes");

        Map<String, String> env = ScratchStack.environment(home, state, inherited, "test");

        assertThat(env).doesNotContainKeys("MLOPS_DB_URL", "MLOPS_TRACKING_URL")
                .containsEntry("KEPT", "yes").containsEntry("MLOPS_STATE_DIR", state.toString())
                .containsEntry("MLOPS_S3_ACCESS_KEY", "test-access");
        assertThat(env.get("MLOPS_API_TOKEN")).startsWith("test-token-");
        assertThat(ScratchStack.portVariables()).contains("MLOPS_KAFKA_PORT", "MLOPS_PROMETHEUS_PORT",
                "MLOPS_REGISTRY_PORT", "MLOPS_TRACKING_PORT", "MLOPS_DEPLOY_PORT");
        var ports = new HashSet<String>();
        ScratchStack.portVariables().forEach(variable -> ports.add(env.get(variable)));
        assertThat(ports).as("a distinct port for each of " + ScratchStack.portVariables())
                .hasSize(ScratchStack.portVariables().size()).doesNotContain("9092", null);
        CliSettings.of(home, env).validatePorts();
    }

    @Test
    void whatAnEarlierStackLeftInTheStateFolderIsGone(@TempDir Path home) throws Exception {
        Path state = Files.createDirectories(home.resolve("scratch-state/logs"));
        Files.writeString(state.resolve("kafka.log"), "left by an interrupted run");

        ScratchStack.environment(home, home.resolve("scratch-state"), Map.of(), "test");

        assertThat(home.resolve("scratch-state")).doesNotExist();
    }
}
