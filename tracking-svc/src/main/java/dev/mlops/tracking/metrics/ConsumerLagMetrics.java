package dev.mlops.tracking.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gauge {@code mlops_consumer_lag{group,topic}}: records on the pipeline's topics that a consumer group has not
 * committed yet, for every group (each stage service's and tracking's). Measured from the broker's side, so a
 * stopped or crashed stage shows its backlog growing instead of disappearing from the metrics.
 */
@ApplicationScoped
public class ConsumerLagMetrics {

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);
    private static final String PIPELINE_TOPICS = "mlops.";
    private static final long TIMEOUT_SECONDS = 10;

    private final String bootstrapServers;
    private final Duration interval;
    private final MeterRegistry registry;

    private final Map<List<String>, AtomicLong> lags = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private Admin admin;

    public ConsumerLagMetrics(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                              @ConfigProperty(name = "mlops.metrics.consumer-lag-interval", defaultValue = "10s")
                              Duration interval,
                              MeterRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.interval = interval;
        this.registry = registry;
    }

    void start(@Observes StartupEvent startup) {
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "tracking-svc-consumer-lag",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }

    private void refresh() {
        try {
            lagByGroupAndTopic().forEach((groupAndTopic, lag) -> lags.computeIfAbsent(groupAndTopic, key ->
                    registry.gauge("mlops.consumer.lag", Tags.of("group", key.get(0), "topic", key.get(1)),
                            new AtomicLong())).set(lag));
        } catch (Exception e) {
            LOG.debugf("consumer lag not measured: %s", e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Map<List<String>, Long> lagByGroupAndTopic() throws Exception {
        Map<String, ListConsumerGroupOffsetsSpec> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(GroupListing::groupId, group -> new ListConsumerGroupOffsetsSpec()));
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(groups).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> partitions = committed.values().stream()
                .flatMap(offsets -> offsets.keySet().stream())
                .filter(partition -> partition.topic().startsWith(PIPELINE_TOPICS))
                .distinct()
                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<List<String>, Long> lag = new HashMap<>();
        committed.forEach((group, offsets) -> offsets.forEach((partition, offset) -> {
            ListOffsetsResultInfo end = ends.get(partition);
            if (end != null && offset != null) {
                lag.merge(List.of(group, partition.topic()), Math.max(0, end.offset() - offset.offset()), Long::sum);
            }
        }));
        return lag;
    }
}
