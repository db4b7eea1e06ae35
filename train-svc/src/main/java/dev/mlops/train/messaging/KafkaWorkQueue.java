package dev.mlops.train.messaging;

import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.train.service.FannedOutSearch;
import dev.mlops.train.service.WorkOrder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The work topic from the owner's side: publishes work orders, and counts the replicas in the work consumer group
 * (Kafka's view of the group's members), which decides whether a search is worth fanning out.
 */
public final class KafkaWorkQueue implements FannedOutSearch.WorkQueue, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaWorkQueue.class);

    private final KafkaProducer<String, String> producer;
    private final Admin admin;

    public KafkaWorkQueue(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @Override
    public void publish(List<WorkOrder> orders) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (WorkOrder order : orders) {
            sends.add(producer.send(new ProducerRecord<>(Topics.TRAIN_WORK, order.key(), Json.write(order))));
        }
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing work orders", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish the grid search's work orders to "
                    + Topics.TRAIN_WORK + ": " + e.getMessage(), e);
        }
    }

    /** Members of the work consumer group now; 1 (this replica alone) when Kafka cannot tell. */
    public int replicas() {
        try {
            return admin.describeConsumerGroups(List.of(TrainWorkConsumer.GROUP)).all().get(5, TimeUnit.SECONDS)
                    .get(TrainWorkConsumer.GROUP).members().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("could not count the replicas of %s, the search stays in-process: %s", TrainWorkConsumer.GROUP,
                    e.getMessage());
            return 1;
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
