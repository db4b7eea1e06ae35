package dev.mlops.tracking.service;

import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.StageExecution;

import java.util.List;
import java.util.Map;

/** Everything recorded for one run; maps are sorted by key, metrics hold each key's latest value. */
public record RunDetails(
        Run run,
        PipelineSpec spec,
        List<StageExecution> executions,
        Map<String, String> params,
        Map<String, Double> metrics,
        Map<String, String> tags,
        Map<String, String> artifacts) {
}
