package dev.mlops.serving;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.S3Settings;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * A real S3 server (test-support's s3proxy) holding {@link TestModel}'s bundle as train-svc stores it,
 * under runs/<runId>/model/...; the server is pointed at s3://mlops-artifacts/runs/<runId>/model.
 */
public class S3ModelResource implements QuarkusTestResourceLifecycleManager {

    private final S3Resource s3 = new S3Resource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(s3.start());
        S3Settings settings = new S3Settings(config.get("mlops.s3.endpoint"), config.get("mlops.s3.access-key"),
                config.get("mlops.s3.secret-key"), config.get("mlops.s3.bucket"), "us-east-1");
        try (ArtifactStore store = new ArtifactStore(settings)) {
            store.ensureBucket();
            TestModel.bundle().toFiles().forEach((path, content) ->
                    store.put(TestModel.RUN_ID, path, content, "application/octet-stream"));
        }
        config.put("mlops.model.uri", "s3://" + settings.bucket() + "/runs/" + TestModel.RUN_ID + "/model");
        return config;
    }

    @Override
    public void stop() {
        s3.stop();
    }
}
