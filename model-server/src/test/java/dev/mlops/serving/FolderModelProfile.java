package dev.mlops.serving;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Serves {@link TestModel}'s bundle from a folder, with a 1 MB request limit so that the limit is cheap to test. */
public class FolderModelProfile implements QuarkusTestProfile {

    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlops.model.uri", "file:" + TestModel.folder(),
                "mlops.serving.max-request-size", Integer.toString(MAX_REQUEST_BYTES));
    }
}
