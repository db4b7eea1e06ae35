package dev.mlops.serving;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** Serves the bundle from S3 instead of a folder. */
public class S3ModelProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3ModelResource.class));
    }
}
