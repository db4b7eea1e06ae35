package dev.mlops.testing;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.RunStop;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Plain Kafka clients for tests: publish raw records (as a user injecting an event would) and read topics back. */
public class KafkaTestClient {

    private final String bootstrap;

    public KafkaTestClient(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    public void send(String topic, String key, String value, Map<String, String> headers) {
        send(new ProducerRecord<>(topic, key, value), headers);
    }

    /** Sends a stop notice as tracking-svc does: keyed by run id, to partition 0, which every stage reads. */
    public void announceStop(String runId, RunStop stop) {
        send(new ProducerRecord<>(Topics.RUN_STOPS, Topics.SINGLE_PARTITION, runId, Json.write(stop)), Map.of());
    }

    private void send(ProducerRecord<String, String> record, Map<String, String> headers) {
        String topic = record.topic();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            headers.forEach((k, v) -> record.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Publishes {@code event} as its producer would: keyed by run id, with CloudEvents headers. */
    public void publish(StageEvent event) {
        send(event.topic(), event.runId(), Json.write(event),
                Map.of("ce_type", event.topic(), "ce_subject", event.runId(), "ce_specversion", "1.0",
                        "ce_id", UUID.randomUUID().toString(), "ce_source", "urn:mlops:test"));
    }

    /** The completed event {@code stage} emits for the run. */
    public StageEvent awaitCompleted(Stage stage, String runId, Duration timeout) {
        return EventJson.readStageEvent(await(stage.completedTopic(), r -> runId.equals(r.key()), timeout).value());
    }

    /** The FAILED status {@code stage} reports for the run. */
    public StageStatusEvent awaitFailed(Stage stage, String runId, Duration timeout) {
        return EventJson.readStatusEvent(await(Topics.STAGE_STATUS, r -> runId.equals(r.key())
                && r.value().contains("\"FAILED\"") && r.value().contains("\"stage\":\"" + stage.id() + "\""),
                timeout).value());
    }

    /** Reads {@code topic} from the beginning until a record matches, or fails after {@code timeout}. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                Duration timeout) {
        List<ConsumerRecord<String, String>> found = awaitAll(topic, match, 1, timeout);
        return found.get(0);
    }

    /** Reads {@code topic} from the beginning until {@code count} records match, or fails after {@code timeout}. */
    public List<ConsumerRecord<String, String>> awaitAll(String topic, Predicate<ConsumerRecord<String, String>> match,
                                                         int count, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> matches = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        matches.add(record);
                    }
                }
                if (matches.size() >= count) {
                    return matches;
                }
            }
        }
        throw new AssertionError("found " + matches.size() + " of " + count + " matching records on " + topic
                + " within " + timeout.toSeconds() + " s");
    }

    /**
     * Waits until consumer group {@code group} is stable with exactly {@code members} members, each holding at least
     * one partition (replicas started, or a stopped one gone, and the partitions shared out).
     */
    public void awaitMembersHolding(String group, int members, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "nothing";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(10, TimeUnit.SECONDS).get(group);
                seen = description.groupState() + " with " + description.members().size() + " members";
                if (description.groupState() == GroupState.STABLE
                        && description.members().size() == members
                        && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not describe consumer group " + group, e);
        }
        throw new AssertionError("consumer group " + group + " did not get " + members + " members holding"
                + " partitions within " + timeout.toSeconds() + " s; last seen: " + seen);
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
