package dev.mlops.train.messaging;

import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.text.Text;
import dev.mlops.train.service.GridSearch;
import dev.mlops.train.service.UnitWorker;
import dev.mlops.train.service.WorkOrder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * This replica's share of {@code mlops.train.work}: a member of the consumer group {@value #GROUP} that scores up to
 * {@code concurrency} units at once and commits their offsets only once their scores are stored. While units run
 * the consumer keeps polling with its partitions paused, so a long unit does not cost it its membership; when
 * partitions are taken away it first finishes and commits the units it holds. A replica that dies loses nothing:
 * its partitions move to the others, which skip the units whose scores are stored already.
 *
 * <p>A plain Kafka consumer rather than a SmallRye channel: the work needs its own group, offsets committed only
 * after the store has the score, and a bounded number of units in flight, and the same loop runs in a worker-only
 * replica process.
 */
public final class TrainWorkConsumer implements AutoCloseable {

    public static final String GROUP = "train-svc." + Topics.TRAIN_WORK;

    private static final Logger LOG = Logger.getLogger(TrainWorkConsumer.class);
    /**
     * With no unit running: a poll answers as soon as a unit arrives, so waiting long costs no latency, and an idle
     * replica wakes once a second instead of ten times. {@link #close} wakes it at once.
     */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** With units running: how soon a finished unit is committed and the partitions resumed. */
    private static final Duration BUSY_POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, String> consumer;
    private final UnitWorker worker;
    private final ForkJoinPool pool;
    private final Thread thread;
    private final List<InFlight> inFlight = new ArrayList<>();
    private volatile boolean closed;

    private record InFlight(ConsumerRecord<String, String> record, Future<?> unit) {
    }

    /** @param concurrency units scored at once (Smile's tree parallelism inside a unit joins the same pool) */
    public TrainWorkConsumer(String bootstrap, UnitWorker worker, int concurrency) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(concurrency));
        // as every channel of the services (service-runtime): a dead replica's partitions move within 10 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        // as every channel: an idle replica's fetch waits 5 s on the broker, not 0.5 s (a unit still comes at once)
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.worker = worker;
        this.pool = new ForkJoinPool(concurrency, GridSearch::worker, null, false);
        this.thread = new Thread(this::loop, "train-work-consumer");
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        consumer.subscribe(List.of(Topics.TRAIN_WORK), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                finishAndCommit(); // before another replica gets them: nothing this one scored comes back
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        try {
            while (!closed) {
                try {
                    submit(consumer.poll(IDLE_POLL));
                    if (!inFlight.isEmpty()) {
                        consumer.pause(consumer.assignment());
                        while (!closed && inFlight.stream().anyMatch(f -> !f.unit().isDone())) {
                            submit(consumer.poll(BUSY_POLL)); // keeps the membership; paused, so nothing new but newly assigned
                        }
                        finishAndCommit();
                        resumeAll();
                    }
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    LOG.warnf("mlops.train.work: %s (the consumer goes on; uncommitted units come again and stored ones are skipped)",
                            Text.quote(String.valueOf(e.getMessage())));
                    inFlight.clear();
                    resumeAll();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void resumeAll() {
        try {
            consumer.resume(consumer.paused());
        } catch (IllegalStateException e) {
            // not subscribed any more (closing): nothing to resume
        }
    }

    private void submit(Iterable<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> record : records) {
            inFlight.add(new InFlight(record, pool.submit(() -> work(record))));
        }
    }

    private void work(ConsumerRecord<String, String> record) {
        try {
            worker.work(Json.read(record.value(), WorkOrder.class));
        } catch (RuntimeException e) {
            // acknowledged all the same: the run's owner publishes units still missing again after its stall timeout
            LOG.errorf(e, "mlops.train.work: unit %s not scored", record.key());
        }
    }

    /** Waits for the units in flight and commits their offsets. */
    private void finishAndCommit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (InFlight f : inFlight) {
            await(f.unit());
            TopicPartition partition = new TopicPartition(f.record().topic(), f.record().partition());
            long next = f.record().offset() + 1;
            offsets.merge(partition, new OffsetAndMetadata(next), (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        inFlight.clear();
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private static void await(Future<?> unit) {
        try {
            unit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring a unit", e);
        } catch (ExecutionException e) {
            // work() logs its own failures
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
