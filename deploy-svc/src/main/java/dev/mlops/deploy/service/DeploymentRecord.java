package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <state-dir>/current.json}: what serves the stable URL (the warm local model-server or a container behind the
 * front), for a restarted deploy-svc to adopt and for {@code ./mlops down} to stop.
 */
final class DeploymentRecord {

    static final String FILE = "current.json";
    private static final Logger LOG = Logger.getLogger(DeploymentRecord.class);

    private DeploymentRecord() {
    }

    static Optional<JsonNode> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.tree(Files.readString(file)));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not read the deployment recorded in %s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Replaces the record atomically; a failure is logged (serving goes on, only adoption is lost). */
    static void write(Path stateDir, Map<String, Object> state) {
        Map<String, Object> stamped = new LinkedHashMap<>(state);
        stamped.put("deployedAt", Instant.now().toString());
        try {
            Files.createDirectories(stateDir);
            Path tmp = stateDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, Json.write(stamped), StandardCharsets.UTF_8);
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("could not record the current deployment in %s: %s", stateDir, e.getMessage());
        }
    }

    static void delete(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(FILE));
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", stateDir.resolve(FILE), e.getMessage());
        }
    }
}
