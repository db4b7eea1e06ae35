package dev.mlops.common.event;

import java.util.Map;

/** What a stage produced: artifact name -> URI, metrics and params to record for the run. */
public record StageResult(Map<String, String> artifacts, Map<String, Double> metrics, Map<String, String> params) {

    public StageResult {
        artifacts = Map.copyOf(artifacts);
        metrics = Map.copyOf(metrics);
        params = Map.copyOf(params);
    }
}
