package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The platform's event records from now on, read with a group-less consumer (it commits nothing and disturbs no
 * service): per run id (the record key), when each input topic's record and each STARTED status record was
 * produced, by the records' own timestamps (CreateTime, set by the producing service's Kafka client).
 */
final class StageEvents implements AutoCloseable {

    /** One record of interest: an input topic's record ({@code started} false) or a stage's STARTED. */
    record Event(String topic, String stage, boolean started, long timestampMs) {
    }

    private final KafkaConsumer<String, String> consumer;

    private StageEvents(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** Positioned at the current end of every stage input topic and the status topic. */
    static StageEvents fromNow(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            topics.add(stage.inputTopic());
        }
        topics.add(Topics.STAGE_STATUS);
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("Kafka at " + bootstrap + " has no topic " + topic);
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);  // fixes the start now, before the runs are requested
        return new StageEvents(consumer);
    }

    /** Reads until {@code complete} holds for the events of every run in {@code runIds}, or the timeout passes. */
    Map<String, List<Event>> read(Set<String> runIds, Predicate<List<Event>> complete, Duration timeout) {
        Map<String, List<Event>> byRun = new HashMap<>();
        runIds.forEach(id -> byRun.put(id, new ArrayList<>()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !byRun.values().stream().allMatch(complete)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                List<Event> events = byRun.get(record.key());
                if (events != null) {
                    toEvent(record).ifPresent(events::add);
                }
            }
        }
        return byRun;
    }

    private static Optional<Event> toEvent(ConsumerRecord<String, String> record) {
        if (!record.topic().equals(Topics.STAGE_STATUS)) {
            return Optional.of(new Event(record.topic(), null, false, record.timestamp()));
        }
        JsonNode status = Json.tree(record.value());
        if (!status.path("status").asText().equals("STARTED")) {
            return Optional.empty();
        }
        return Optional.of(new Event(record.topic(), status.path("stage").asText(), true, record.timestamp()));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
