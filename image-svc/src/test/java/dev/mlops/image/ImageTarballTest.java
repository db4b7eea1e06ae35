package dev.mlops.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a registry: FROM a base image tarball, the image written as a docker-load tarball artifact. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(value = TarBaseResource.class, restrictToAnnotatedClass = true)
class ImageTarballTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ArtifactStore store;

    @Test
    void writesADockerLoadTarballWithTheBaseLayersAndTheModelLayer() throws Exception {
        String runId = Events.newRunId();
        Map<String, byte[]> bundle = Events.bundle(runId);
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        Events.publish(kafka, Events.evaluated(store, runId, bundle, PipelineSpec.defaults("file:/data.csv")));
        StageEvent completed = Events.awaitCompleted(kafka, runId);

        String tag = runId.substring(0, 8);
        assertThat(completed.params())
                .containsEntry("image_ref", "mlops/titanic-rf:" + tag)
                .containsEntry("image_pushed", "false")
                .containsEntry("image_base", "tar:" + TarBaseResource.baseTar);
        Map<String, byte[]> tar = Archives.untar(store.read(URI.create(completed.artifact("image/image.tar"))));
        JsonNode manifest = Json.tree(new String(tar.get("manifest.json"))).get(0);
        List<String> repoTags = new ArrayList<>();
        manifest.path("RepoTags").forEach(t -> repoTags.add(t.asText()));
        assertThat(repoTags).contains("mlops/titanic-rf:" + tag);

        JsonNode config = Json.tree(new String(tar.get(manifest.path("Config").asText())));
        assertThat(config.path("config").path("Env").toString()).contains("MLOPS_MODEL_URI=file:/opt/model");
        assertThat(config.path("config").path("Entrypoint").get(0).asText()).isEqualTo(TestImages.ENTRYPOINT);
        assertThat(config.path("config").path("Labels").path("dev.mlops.run-id").asText()).isEqualTo(runId);

        Map<String, byte[]> baseTar = Archives.untar(Files.readAllBytes(TarBaseResource.baseTar));
        JsonNode baseManifest = Json.tree(new String(baseTar.get("manifest.json"))).get(0);
        List<String> layers = new ArrayList<>();
        manifest.path("Layers").forEach(l -> layers.add(l.asText()));
        assertThat(layers).hasSize(baseManifest.path("Layers").size() + 1);
        for (int i = 0; i < baseManifest.path("Layers").size(); i++) {
            assertThat(tar.get(layers.get(i))).isEqualTo(baseTar.get(baseManifest.path("Layers").get(i).asText()));
        }
        Map<String, byte[]> baseLayer = Archives.untarGzip(tar.get(layers.get(0)));
        assertThat(new String(baseLayer.get(TestImages.MARKER_PATH.substring(1)))).isEqualTo(TestImages.MARKER);

        Map<String, byte[]> modelLayer = Archives.untarGzip(tar.get(layers.get(layers.size() - 1)));
        assertThat(modelLayer.keySet()).containsExactlyInAnyOrderElementsOf(
                bundle.keySet().stream().map(name -> "opt/model/" + name).toList());
        bundle.forEach((name, content) -> assertThat(modelLayer.get("opt/model/" + name)).as(name).isEqualTo(content));
        // the model layer as reported is the one in the tarball (read back with infra/images' ImageTarball)
        byte[] storedModelLayer = tar.get(layers.get(layers.size() - 1));
        assertThat(completed.params()).containsEntry("image_model_layer_digest",
                "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(storedModelLayer)));
        assertThat(completed.metrics()).containsEntry("image_model_layer_bytes", (double) storedModelLayer.length);

        JsonNode description = Json.tree(new String(store.read(URI.create(completed.artifact("image/image.json")))));
        assertThat(description.path("tarball").asText()).isEqualTo(completed.artifact("image/image.tar"));
        assertThat(description.path("digest").asText()).isEqualTo(completed.params().get("image_digest"));
    }
}
