package dev.mlops.runtime.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;
import dev.mlops.runtime.stage.TransientFailure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@link ModelAliases} through tracking-svc's {@code /models/{name}/...} API. */
public class TrackingModelAliases implements ModelAliases {

    private final TrackingClient tracking;

    public TrackingModelAliases(TrackingClient tracking) {
        this.tracking = tracking;
    }

    @Override
    public void set(String modelName, String alias, int version) {
        try {
            tracking.post("/models/" + segment(modelName) + "/aliases/" + segment(alias),
                    Json.write(Map.of("version", version)), 200);
        } catch (TrackingException e) {
            throw TransientFailure.ofTrackingCall("could not point alias '" + alias + "' of model " + modelName + " at version "
                    + version + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<AliasedVersion> get(String modelName, String alias) {
        JsonNode version;
        try {
            version = tracking.get("/models/" + segment(modelName) + "/aliases/" + segment(alias));
        } catch (TrackingException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw TransientFailure.ofTrackingCall("could not look up alias '" + alias + "' of model " + modelName
                    + ": " + e.getMessage(), e);
        }
        return Optional.of(new AliasedVersion(version.path("version").asInt(), version.path("runId").asText(),
                version.path("artifactUri").asText()));
    }

    @Override
    public OptionalInt versionOfRun(String modelName, String runId) {
        JsonNode versions;
        try {
            versions = tracking.get("/models/" + segment(modelName) + "/versions").path("versions");
        } catch (TrackingException e) {
            if (e.status() == 404) {
                return OptionalInt.empty();
            }
            throw TransientFailure.ofTrackingCall("could not list the versions of model " + modelName + ": " + e.getMessage(), e);
        }
        int newest = -1;
        for (JsonNode version : versions) {
            if (runId.equals(version.path("runId").asText())) {
                newest = Math.max(newest, version.path("version").asInt());
            }
        }
        return newest < 0 ? OptionalInt.empty() : OptionalInt.of(newest);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
