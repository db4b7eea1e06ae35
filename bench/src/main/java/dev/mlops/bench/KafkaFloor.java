package dev.mlops.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The transport's own floor for an event hop on this broker and machine, right now: a bare Kafka client sends a
 * record and a bare consumer (long-polling, as the services' consumers do) receives it, one at a time. What an
 * event hop costs beyond this is the platform's own (messaging framework, dispatch to the stage).
 */
final class KafkaFloor {

    static final String TOPIC = "mlops.bench.floor";

    private KafkaFloor() {
    }

    /** Send-to-receive times in ms of {@code count} records, with the producer's {@code linger.ms} (null: the default). */
    static List<Double> sendToReceiveMs(String bootstrap, int count, Integer lingerMs) {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        if (lingerMs != null) {
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Double> ms = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            producer.send(new ProducerRecord<>(TOPIC, 0, "create", "")).get();  // the topic exists from here on
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < count + 10; i++) {
                String key = "floor-" + i;
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(TOPIC, 0, key, "{}"));
                if (!awaitRecord(consumer, key)) {
                    throw new IllegalStateException("record " + key + " did not arrive within 5 s");
                }
                if (i >= 10) {  // the first ten warm the clients up
                    ms.add((System.nanoTime() - start) / 1e6);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("the Kafka floor measurement failed: " + e, e);
        }
        return ms;
    }

    private static boolean awaitRecord(KafkaConsumer<String, String> consumer, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (key.equals(record.key())) {
                    return true;
                }
            }
        }
        return false;
    }
}
