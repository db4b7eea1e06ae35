package dev.mlops.testing;

import dev.mlops.stack.launch.Ports;
import dev.mlops.stack.launch.ServerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.Map;

/** A real PostgreSQL server (zonky's binaries, its own process) with an empty {@code mlops} database. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private ServerProcess postgres;

    @Override
    public Map<String, String> start() {
        int port = Ports.free();
        postgres = TestInfrastructure.servers().postgres(port, TestInfrastructure.root().resolve("postgres"),
                TestInfrastructure.DB_NAME, TestInfrastructure.DB_USER, TestInfrastructure.DB_PASSWORD);
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + TestInfrastructure.DB_NAME,
                "quarkus.datasource.username", TestInfrastructure.DB_USER,
                "quarkus.datasource.password", TestInfrastructure.DB_PASSWORD);
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.stop(Duration.ofSeconds(20));
        }
    }
}
