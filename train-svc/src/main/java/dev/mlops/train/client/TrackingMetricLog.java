package dev.mlops.train.client;

import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;
import dev.mlops.train.service.MetricLog;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Metric history through tracking-svc's {@code POST /pipelines/{runId}/log-batch}. A tracking-svc that is down or
 * refuses the batch costs the run its history, not its model: the failure is logged and training goes on.
 */
public class TrackingMetricLog implements MetricLog {

    private static final Logger LOG = Logger.getLogger(TrackingMetricLog.class);

    private final TrackingClient tracking;

    public TrackingMetricLog(TrackingClient tracking) {
        this.tracking = tracking;
    }

    @Override
    public void log(String runId, List<Point> points, long timestampMillis) {
        List<Map<String, Object>> metrics = points.stream()
                .map(p -> Map.<String, Object>of("key", p.key(), "value", p.value(), "step", p.step(),
                        "timestamp", timestampMillis))
                .toList();
        String body = Json.write(Map.of("metrics", metrics, "params", List.of(), "tags", List.of()));
        try {
            tracking.post("/pipelines/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/log-batch", body, 200);
        } catch (TrackingException e) {
            LOG.warnf("run %s: the CV metric history was not recorded: %s", runId, e.getMessage());
        }
    }
}
