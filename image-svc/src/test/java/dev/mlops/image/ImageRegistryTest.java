package dev.mlops.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.image.config.ImageConfig;
import dev.mlops.image.service.ImageNames;
import dev.mlops.image.service.ImageService;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import dev.mlops.stack.launch.Ports;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The image stage against a real registry (Debian's docker-registry), real Kafka and real S3. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(value = RegistryResource.class, restrictToAnnotatedClass = true)
class ImageRegistryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** Optional: Quarkus checks every test class's injection points, also when the tarball test runs without one. */
    @ConfigProperty(name = "mlops.image.registry")
    Optional<String> registry;

    @Inject
    ArtifactStore store;

    @Test
    void pushesTheBaseImagePlusOneLayerHoldingTheBundleUnderBothTags() {
        String runId = Events.newRunId();
        Map<String, byte[]> bundle = Events.bundle(runId);
        StageEvent input = Events.evaluated(store, runId, bundle, PipelineSpec.defaults("file:/data.csv"));
        Events.publish(kafka(), input);
        StageEvent completed = Events.awaitCompleted(kafka(), runId);

        String repository = "mlops/titanic-rf";
        String tag = runId.substring(0, 8);
        RegistryApi registry = new RegistryApi(registryAddress());
        List<String> tags = new ArrayList<>();
        registry.tags(repository).path("tags").forEach(t -> tags.add(t.asText()));
        assertThat(tags).contains(tag, "latest");

        RegistryApi.Manifest manifest = registry.manifest(repository, tag);
        assertThat(completed.params())
                .containsEntry("image_ref", registryAddress() + "/" + repository + ":" + tag)
                .containsEntry("image_digest", manifest.digest())
                .containsEntry("image_pushed", "true")
                .containsEntry("model_version", "7");
        assertThat(registry.manifest(repository, "latest").digest()).isEqualTo(manifest.digest());

        RegistryApi.Manifest base = registry.manifest(RegistryResource.BASE_REPOSITORY, "test");
        List<JsonNode> layers = new ArrayList<>();
        manifest.json().path("layers").forEach(layers::add);
        List<JsonNode> baseLayers = new ArrayList<>();
        base.json().path("layers").forEach(baseLayers::add);
        assertThat(layers).hasSize(baseLayers.size() + 1);
        for (int i = 0; i < baseLayers.size(); i++) {
            assertThat(layers.get(i).path("digest").asText()).isEqualTo(baseLayers.get(i).path("digest").asText());
        }

        JsonNode modelLayer = layers.get(layers.size() - 1);
        Map<String, byte[]> contents = Archives.untarGzip(registry.blob(repository, modelLayer.path("digest").asText()));
        assertThat(contents.keySet()).containsExactlyInAnyOrderElementsOf(
                bundle.keySet().stream().map(name -> "opt/model/" + name).toList());
        bundle.forEach((name, content) -> assertThat(contents.get("opt/model/" + name)).as(name).isEqualTo(content));
        assertThat(completed.params()).containsEntry("image_model_layer_digest", modelLayer.path("digest").asText());

        JsonNode config = Json.tree(new String(registry.blob(repository, manifest.json().path("config").path("digest").asText())));
        assertThat(config.path("config").path("Env").toString()).contains("MLOPS_MODEL_URI=file:/opt/model")
                .contains("MLOPS_MODEL_NAME=titanic-rf").contains("MLOPS_MODEL_VERSION=7");
        assertThat(config.path("config").path("Entrypoint").get(0).asText()).isEqualTo(TestImages.ENTRYPOINT);
        assertThat(config.path("config").path("Labels").path("dev.mlops.run-id").asText()).isEqualTo(runId);
        assertThat(config.path("config").path("Labels").path("dev.mlops.model-version").asText()).isEqualTo("7");

        JsonNode description = Json.tree(new String(store.read(URI.create(completed.artifact("image/image.json")))));
        assertThat(description.path("digest").asText()).isEqualTo(manifest.digest());
        assertThat(description.path("modelLayer").path("size").asLong()).isEqualTo(modelLayer.path("size").asLong());
        assertThat(completed.artifacts()).doesNotContainKey("image/image.tar");
    }

    @Test
    void rebuildingTheSameRunGivesTheSameDigest() {
        String runId = Events.newRunId();
        StageEvent input = Events.evaluated(store, runId, Events.bundle(runId), PipelineSpec.defaults("file:/data.csv"));
        Events.publish(kafka(), input);
        String first = Events.awaitCompleted(kafka(), runId).params().get("image_digest");
        Events.publish(kafka(), input.withAttempt(2));
        String second = kafka().awaitAll(Events.COMPLETED, r -> runId.equals(r.key()), 2, Events.TIMEOUT)
                .get(1).value();
        assertThat(Json.tree(second).path("params").path("image_digest").asText()).isEqualTo(first);
    }

    @Test
    void aModelNameWithCapitalsAndRepeatedSeparatorsBecomesAValidRepository() {
        // spaces no longer pass the spec check (model.name is [A-Za-z0-9][A-Za-z0-9._-]{0,63}); capitals and "--" do
        String runId = Events.newRunId();
        PipelineSpec defaults = PipelineSpec.defaults("file:/data.csv");
        PipelineSpec spec = new PipelineSpec(defaults.name(), defaults.dataset(), defaults.target(), defaults.features(),
                defaults.split(), new PipelineSpec.Model("My_Titanic--Model", "random_forest", 3, defaults.model().grid()),
                defaults.gate(), defaults.deploy());
        Events.publish(kafka(), Events.evaluated(store, runId, Events.bundle(runId), spec));
        StageEvent completed = Events.awaitCompleted(kafka(), runId);
        assertThat(completed.params().get("image_ref"))
                .isEqualTo(registryAddress() + "/mlops/my_titanic-model:" + ImageNames.runTag(runId));
    }

    @Test
    void anEventWithoutTheModelFailsTheStageNamingTheMissingFile() {
        String runId = Events.newRunId();
        Map<String, byte[]> bundle = new HashMap<>(Events.bundle(runId));
        bundle.remove("model/model.bin");
        Events.publish(kafka(), Events.evaluated(store, runId, bundle, PipelineSpec.defaults("file:/data.csv")));
        assertThat(Events.awaitFailure(kafka(), runId)).contains("model/model.bin").contains("model/preprocessor.json");
    }

    @Test
    void aRunThatDeploysNothingBuildsNoImage() {
        String skipped = Events.newRunId();
        PipelineSpec defaults = PipelineSpec.defaults("file:/data.csv");
        PipelineSpec none = new PipelineSpec(defaults.name(), defaults.dataset(), defaults.target(), defaults.features(),
                defaults.split(), defaults.model(), defaults.gate(), new PipelineSpec.Deploy("none"));
        Events.publish(kafka(), Events.evaluated(store, skipped, Events.bundle(skipped), none));
        // a run published after it completing shows the consumer has gone past the skipped one (one partition)
        String later = Events.newRunId();
        Events.publish(kafka(), Events.evaluated(store, later, Events.bundle(later), defaults));
        Events.awaitCompleted(kafka(), later);

        assertThatThrownBy(() -> kafka().await(Topics.STAGE_STATUS, r -> skipped.equals(r.key()), Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> kafka().await(Events.COMPLETED, r -> skipped.equals(r.key()), Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aBaseImageMissingFromTheRegistryFailsNamingWhatToDo() {
        // input: mlops.image.base names a tag that was never pushed to the (running) registry
        String missing = registryAddress() + "/" + RegistryResource.BASE_REPOSITORY + ":never-pushed";
        ImageService images = new ImageService(store, config(Optional.of(missing), registry));
        StageEvent input = evaluatedRun();

        assertThatThrownBy(() -> images.build(input))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("base image is missing")
                .hasMessageContaining("./mlops images");
    }

    @Test
    void anUnreachableRegistryIsTriedAgainAndNamesWhatToDo() {
        // input: mlops.image.registry points at a loopback port nothing listens on (a stopped registry)
        String stopped = "127.0.0.1:" + Ports.free();
        ImageService images = new ImageService(store, config(Optional.of(stopped + "/mlops/model-server:1"),
                Optional.of(stopped)));
        StageEvent input = evaluatedRun();

        assertThatThrownBy(() -> images.build(input))
                .isInstanceOf(TransientFailure.class)
                .hasMessageContaining(stopped)
                .hasMessageContaining("does not answer")
                .hasMessageContaining("MLOPS_IMAGE_REGISTRY");
    }

    @Test
    void withoutAConfiguredBaseTheStageFailsSayingHowToGetOne() {
        ImageService images = new ImageService(store, config(Optional.empty(), registry));
        StageEvent input = evaluatedRun();

        assertThatThrownBy(() -> images.build(input))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining("MLOPS_IMAGE_BASE")
                .hasMessageContaining("./mlops images");
    }

    /** A fresh run's evaluate.completed event, its bundle in the store. */
    private StageEvent evaluatedRun() {
        String runId = Events.newRunId();
        return Events.evaluated(store, runId, Events.bundle(runId), PipelineSpec.defaults("file:/data.csv"));
    }

    private ImageConfig config(Optional<String> base, Optional<String> registry) {
        return new ImageConfig() {
            @Override
            public Optional<String> base() {
                return base;
            }

            @Override
            public Optional<String> registry() {
                return registry;
            }

            @Override
            public String repository() {
                return "mlops";
            }

            @Override
            public boolean insecureRegistries() {
                return false;
            }

            @Override
            public Optional<String> registryUsername() {
                return Optional.empty();
            }

            @Override
            public Optional<String> registryPassword() {
                return Optional.empty();
            }

            @Override
            public Path cacheDir() {
                return Path.of("target/image-svc-cache-" + UUID.randomUUID());
            }
        };
    }

    private String registryAddress() {
        return registry.orElseThrow();
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
