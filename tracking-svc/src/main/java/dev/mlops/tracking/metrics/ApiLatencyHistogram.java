package dev.mlops.tracking.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Publishes the API's request durations ({@code http_server_requests_seconds}) as a histogram, so a dashboard
 * can show the tracking API's p50/p95 latency per endpoint with histogram_quantile.
 */
@Singleton
public class ApiLatencyHistogram {

    private static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    @Produces
    @Singleton
    MeterFilter apiLatencyHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
            }
        };
    }
}
