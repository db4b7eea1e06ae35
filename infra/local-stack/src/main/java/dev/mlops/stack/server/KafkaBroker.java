package dev.mlops.stack.server;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka broker in KRaft mode (combined broker and controller), data kept in {@code --data-dir}.
 * Creates the platform's topics up front so that no first send waits for auto-creation.
 * Usage: {@code --port 9092 --controller-port 9093 --data-dir DIR [--topics a,b] [--partitions 3] [--parent-pid N]}
 */
public final class KafkaBroker {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        ServerLifecycle.exitWithParent(args);
        Path dataDir = Path.of(args.get("data-dir")).toAbsolutePath();
        Files.createDirectories(dataDir);
        int port = args.port("port");
        Path config = writeConfig(dataDir, port, args.port("controller-port"), args.get("partitions", "3"));
        if (!Files.exists(dataDir.resolve("logs/meta.properties"))) {
            format(config);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(load(config), false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-shutdown"));
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        createTopics(bootstrap, args.get("topics", ""), Integer.parseInt(args.get("partitions", "3")));
        ServerLifecycle.ready("kafka " + bootstrap);
        ServerLifecycle.awaitForever();
    }

    private static Path writeConfig(Path dataDir, int port, int controllerPort, String partitions) throws Exception {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("logs").toString());
        p.setProperty("num.partitions", partitions);
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        // a small dedupe buffer lets the broker run in a small heap (the default 128 MB needs -Xmx512m)
        p.setProperty("log.cleaner.dedupe.buffer.size", "8388608");
        // A handful of local clients need neither 8 request threads nor 3 network threads (./mlops bench --only stack:
        // the broker's resident memory 235 -> 220 MiB; its idle CPU, ~5% of a core, did not change)
        p.setProperty("num.io.threads", "2");
        p.setProperty("num.network.threads", "2");
        Path config = dataDir.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            p.store(out, "written by dev.mlops.stack.server.KafkaBroker");
        }
        return config;
    }

    private static void format(Path config) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        int code = StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", config.toString()},
                new PrintStream(log, true));
        if (code != 0) {
            throw new IllegalStateException("formatting Kafka storage failed: " + log);
        }
    }

    private static Properties load(Path config) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(config)) {
            p.load(in);
        }
        return p;
    }

    private static void createTopics(String bootstrap, String topics, int partitions) throws Exception {
        List<String> names = Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        if (names.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            // created is not yet listed: under load the broker's metadata can lag, and a client that starts now
            // must find every topic
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.listTopics().names().get().containsAll(names) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }
}
