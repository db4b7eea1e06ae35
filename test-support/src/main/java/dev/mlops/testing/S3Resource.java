package dev.mlops.testing;

import dev.mlops.common.store.S3Settings;
import dev.mlops.stack.launch.Ports;
import dev.mlops.stack.launch.ServerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.Map;

/** A real S3 API (s3proxy on a folder, its own process) with the artifact bucket created. */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    private ServerProcess s3;

    @Override
    public Map<String, String> start() {
        int port = Ports.free();
        s3 = TestInfrastructure.servers().s3(port, TestInfrastructure.root().resolve("s3"), S3Settings.DEFAULT_BUCKET,
                TestInfrastructure.S3_ACCESS_KEY, TestInfrastructure.S3_SECRET_KEY);
        return Map.of(
                "mlops.s3.endpoint", "http://127.0.0.1:" + port,
                "mlops.s3.access-key", TestInfrastructure.S3_ACCESS_KEY,
                "mlops.s3.secret-key", TestInfrastructure.S3_SECRET_KEY,
                "mlops.s3.bucket", S3Settings.DEFAULT_BUCKET);
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.stop(Duration.ofSeconds(10));
        }
    }
}
