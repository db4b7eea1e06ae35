package dev.mlops.train.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.train.service.MetricLog;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class TrackingMetricLogTest {

    @Test
    void sendsTheHistoryAsOneLogBatch() throws Exception {
        try (RecordingTrackingServer tracking = new RecordingTrackingServer()) {
            new TrackingMetricLog(new TrackingClient(tracking.url(), Optional.empty())).log("run-7", List.of(
                    new MetricLog.Point("cv_mean_test_score", 0.81, 0),
                    new MetricLog.Point("cv_mean_test_score", 0.83, 1)), 1_700_000_000_000L);

            RecordingTrackingServer.Request request = tracking.requests().get(0);
            assertThat(request.path()).isEqualTo("/pipelines/run-7/log-batch");
            JsonNode metrics = request.json().get("metrics");
            assertThat(metrics).hasSize(2);
            assertThat(metrics.get(1).get("key").asText()).isEqualTo("cv_mean_test_score");
            assertThat(metrics.get(1).get("value").asDouble()).isEqualTo(0.83);
            assertThat(metrics.get(1).get("step").asLong()).isEqualTo(1);
            assertThat(metrics.get(1).get("timestamp").asLong()).as("the caller's time, not the time of sending")
                    .isEqualTo(1_700_000_000_000L);
            assertThat(request.json().get("params")).isEmpty();
            assertThat(request.json().get("tags")).isEmpty();
        }
    }

    @Test
    void trackingDownOrFailingDoesNotFailTraining() throws Exception {
        URI nowhere;
        try (RecordingTrackingServer tracking = new RecordingTrackingServer()) {
            tracking.failWith(503);
            MetricLog log = new TrackingMetricLog(new TrackingClient(tracking.url(), Optional.empty()));
            assertThatCode(() -> log.log("run-7", List.of(new MetricLog.Point("k", 1, 0)), 1L))
                    .doesNotThrowAnyException();
            assertThat(tracking.requests()).hasSize(1);
            nowhere = tracking.url();
        }
        MetricLog offline = new TrackingMetricLog(new TrackingClient(nowhere, Optional.empty()));
        assertThatCode(() -> offline.log("run-7", List.of(new MetricLog.Point("k", 1, 0)), 1L))
                .doesNotThrowAnyException();
    }
}
