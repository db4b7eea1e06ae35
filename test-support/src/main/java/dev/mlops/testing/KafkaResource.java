package dev.mlops.testing;

import dev.mlops.common.event.Topics;
import dev.mlops.stack.launch.Ports;
import dev.mlops.stack.launch.ServerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.time.Duration;
import java.util.Map;

/**
 * A real Kafka broker for a service's tests. By default a KRaft broker from the Kafka jars (its own process);
 * with {@code MLOPS_TEST_KAFKA=testcontainers} and a Docker engine that answers, Testcontainers' Kafka module.
 * {@code MLOPS_TEST_KAFKA_BOOTSTRAP} points the tests at a broker that is already running instead.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String TESTCONTAINERS_IMAGE = "apache/kafka-native:3.8.0";

    private ServerProcess broker;
    private KafkaContainer container;

    @Override
    public Map<String, String> start() {
        String bootstrap = System.getenv("MLOPS_TEST_KAFKA_BOOTSTRAP");
        if (bootstrap == null && "testcontainers".equals(System.getenv("MLOPS_TEST_KAFKA")) && dockerAnswers()) {
            container = new KafkaContainer(TESTCONTAINERS_IMAGE);
            container.start();
            bootstrap = container.getBootstrapServers();
        }
        if (bootstrap == null) {
            int port = Ports.free();
            broker = TestInfrastructure.servers().kafka(port, Ports.free(),
                    TestInfrastructure.root().resolve("kafka"), Topics.all());
            bootstrap = "127.0.0.1:" + port;
        }
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.stop(Duration.ofSeconds(20));
        }
        if (container != null) {
            container.stop();
        }
    }
}
