package dev.mlops.train.client;

import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackingModelRegistryTest {

    RecordingTrackingServer tracking;
    TrackingModelRegistry registry;

    @BeforeEach
    void start() throws Exception {
        tracking = new RecordingTrackingServer();
        registry = new TrackingModelRegistry(new TrackingClient(tracking.url(), Optional.empty()));
    }

    @AfterEach
    void stop() {
        tracking.close();
    }

    @Test
    void postsTheRunsModelDirectoryAsANewVersion() {
        int version = registry.registerVersion("titanic-rf", "run-1", "s3://mlops-artifacts/runs/run-1/model", 1);

        assertThat(version).isEqualTo(1);
        RecordingTrackingServer.Request request = tracking.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/models/titanic-rf/versions");
        assertThat(request.json().get("runId").asText()).isEqualTo("run-1");
        assertThat(request.json().get("artifactUri").asText()).isEqualTo("s3://mlops-artifacts/runs/run-1/model");
        assertThat(request.json().get("attempt").asInt()).isEqualTo(1);
        assertThat(request.json().size()).as("only the fields tracking-svc reads").isEqualTo(3);
    }

    @Test
    void eachAttemptIsANewVersionAndARedeliveredAttemptGetsItsFirstVersion() {
        registry.registerVersion("titanic-rf", "run-1", "s3://mlops-artifacts/runs/run-1/model", 1);
        int retry = registry.registerVersion("titanic-rf", "run-1", "s3://mlops-artifacts/runs/run-1/model", 2);
        int redelivered = registry.registerVersion("titanic-rf", "run-1", "s3://mlops-artifacts/runs/run-1/model", 1);

        assertThat(retry).isEqualTo(2);
        assertThat(redelivered).as("tracking-svc answers 200 with the version of that attempt").isEqualTo(1);
    }

    @Test
    void aTrackingServerErrorIsTransientSoTheStageTriesAgainSayingWhere() {
        tracking.failWith(500);

        assertThatThrownBy(() -> registry.registerVersion("titanic-rf", "run-1", "s3://b/runs/run-1/model", 1))
                .isInstanceOf(TransientFailure.class)
                .hasMessageContaining("could not register a version of model 'titanic-rf'")
                .hasMessageContaining(tracking.url().toString())
                .hasMessageContaining("500");
    }

    @Test
    void aRefusedRegistrationFailsTheStageAtOnce() {
        tracking.failWith(400);

        assertThatThrownBy(() -> registry.registerVersion("titanic-rf", "run-1", "s3://b/runs/run-1/model", 1))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining("400");
    }

    @Test
    void unreachableTrackingIsTransient() {
        URI nowhere = tracking.url();
        tracking.close();
        TrackingModelRegistry offline = new TrackingModelRegistry(new TrackingClient(nowhere, Optional.empty()));

        assertThatThrownBy(() -> offline.registerVersion("titanic-rf", "run-1", "s3://b/runs/run-1/model", 1))
                .isInstanceOf(TransientFailure.class)
                .hasMessageContaining("did not answer");
    }
}
