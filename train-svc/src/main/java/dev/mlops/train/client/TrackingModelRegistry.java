package dev.mlops.train.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import dev.mlops.train.service.ModelRegistry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * tracking-svc's model registry: {@code POST /models/{name}/versions} answers 201 with a new version, or 200 with
 * the version this run attempt got before (a re-delivered event).
 */
public class TrackingModelRegistry implements ModelRegistry {

    private final TrackingClient tracking;

    public TrackingModelRegistry(TrackingClient tracking) {
        this.tracking = tracking;
    }

    @Override
    public int registerVersion(String modelName, String runId, String artifactUri, int attempt) {
        String path = "/models/" + URLEncoder.encode(modelName, StandardCharsets.UTF_8) + "/versions";
        String body = Json.write(Map.of("runId", runId, "artifactUri", artifactUri, "attempt", attempt));
        JsonNode answer;
        try {
            answer = tracking.post(path, body, 201, 200);
        } catch (TrackingException e) {
            throw TransientFailure.ofTrackingCall("could not register a version of model '" + modelName
                    + "' in tracking-svc at " + tracking.baseUrl() + ": " + e.getMessage(), e);
        }
        JsonNode version = answer.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw new StageFailure("tracking-svc answered a model registration without a version number: " + answer);
        }
        return version.asInt();
    }
}
