package dev.mlops.image.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.image.config.ImageConfig;
import dev.mlops.images.Folders;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image stage: the model-server base image plus one layer holding the run's model bundle at
 * {@code /opt/model/model/...}, with {@code MLOPS_MODEL_URI=file:/opt/model}; pushed to the registry, or written as
 * the tarball artifact {@code image/image.tar}. Its description is stored as {@code image/image.json}.
 */
@ApplicationScoped
public class ImageService {

    public static final String IMAGE_JSON = "image/image.json";
    public static final String IMAGE_TAR = "image/image.tar";
    public static final String MODEL_ROOT = "/opt/model";
    public static final String MODEL_BIN = "model/model.bin";
    static final String LABEL_PREFIX = "dev.mlops.";
    /** Train's registry params, passed on so deploy can set the registry alias (events carry one stage's params). */
    static final List<String> PASSED_ON_PARAMS = List.of("model_name", "model_version", "model_uri");

    private final ArtifactStore store;
    private final ImageConfig config;
    private final JibImageBuilder builder;

    public ImageService(ArtifactStore store, ImageConfig config) {
        this.store = store;
        this.config = config;
        Optional<String> registryHost = config.base().map(BaseImage::parse).map(BaseImage::registryHost);
        boolean insecure = config.insecureRegistries()
                || (config.registry().map(ImageNames::isLoopback).orElse(true)
                && registryHost.map(ImageNames::isLoopback).orElse(true));
        Optional<JibImageBuilder.Credentials> credentials = config.registryUsername()
                .map(user -> new JibImageBuilder.Credentials(user, config.registryPassword().orElse("")));
        this.builder = new JibImageBuilder(config.cacheDir(), insecure, credentials);
    }

    public StageResult build(StageEvent input) {
        BaseImage base = base();
        Map<String, String> bundle = bundleArtifacts(input);
        String modelName = input.params().getOrDefault("model_name", input.spec().model().name());
        String repository = config.repository() + "/" + ImageNames.repositoryName(modelName);
        String tag = ImageNames.runTag(input.runId());

        Path work = createWorkDir(input.runId());
        try {
            Map<String, Path> files = download(bundle, work);
            ImageDestination destination = config.registry()
                    .map(registry -> new ImageDestination(registry + "/" + repository + ":" + tag, List.of("latest"), null))
                    .orElseGet(() -> new ImageDestination(repository + ":" + tag, List.of("latest"),
                            work.resolve("image.tar")));
            BuiltImage image;
            try {
                image = builder.build(base, "model", files, environment(input, modelName), labels(input, modelName),
                        destination);
            } catch (ImageBuildException e) {
                throw failure(e, base, destination);
            }
            return result(input, base, image, destination, bundle.keySet());
        } finally {
            deleteRecursively(work);
        }
    }

    private BaseImage base() {
        String spec = config.base().orElseThrow(() -> new StageFailure("no serving base image is configured"
                + " (mlops.image.base, env MLOPS_IMAGE_BASE): ./mlops up sets it to the model-server image it builds"
                + " (./mlops images builds it on its own); or name a model-server image in a registry, tar:/path/to/it.tar,"
                + " or scratch for the model layer alone (an image that does not run)"));
        try {
            return BaseImage.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new StageFailure("mlops.image.base: " + e.getMessage());
        }
    }

    /** What went wrong, and what to do: a registry that did not answer is tried again, a missing base is not. */
    private static RuntimeException failure(ImageBuildException e, BaseImage base, ImageDestination destination) {
        String what = "could not build " + destination.reference() + " from " + base + ": " + e.getMessage();
        if (e.unreachable()) {
            return new TransientFailure(what + ". The registry does not answer: start it (./mlops up starts"
                    + " docker-registry when it is installed), point mlops.image.registry (MLOPS_IMAGE_REGISTRY) at one"
                    + " that runs, or unset it to write the image as the tarball artifact " + IMAGE_TAR, e);
        }
        if (base.kind() != BaseImage.Kind.SCRATCH && BaseImage.isMissingImage(e.getMessage())) {
            return new StageFailure(what + ". The base image is missing: ./mlops images builds and pushes"
                    + " mlops/model-server (./mlops up does it when it starts), or set mlops.image.base (MLOPS_IMAGE_BASE)"
                    + " to a model-server image that exists", e);
        }
        return new StageFailure(what, e);
    }

    private StageResult result(StageEvent input, BaseImage base, BuiltImage image, ImageDestination destination,
                               Iterable<String> bundleFiles) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        if (!image.pushed()) {
            artifacts.put(IMAGE_TAR, store.put(input.runId(), IMAGE_TAR, readAll(destination.tarball()),
                    "application/x-tar").toString());
        }
        BuiltImage.Layer modelLayer = image.modelLayer();
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("reference", image.reference());
        description.put("digest", image.digest());
        description.put("imageId", image.imageId());
        description.put("tags", image.tags());
        description.put("base", base.reference());
        description.put("pushed", image.pushed());
        description.put("tarball", artifacts.get(IMAGE_TAR));
        description.put("layers", image.layers().size());
        description.put("modelLayer", modelLayer == null ? null : Map.of("digest", modelLayer.digest(),
                "size", modelLayer.size(), "files", bundleFiles));
        artifacts.put(IMAGE_JSON, store.put(input.runId(), IMAGE_JSON,
                Json.write(description).getBytes(StandardCharsets.UTF_8), "application/json").toString());

        Map<String, String> params = new LinkedHashMap<>();
        PASSED_ON_PARAMS.forEach(p -> Optional.ofNullable(input.params().get(p)).ifPresent(v -> params.put(p, v)));
        params.put("image_ref", image.reference());
        params.put("image_digest", image.digest());
        params.put("image_tags", String.join(",", image.tags()));
        params.put("image_base", base.reference());
        params.put("image_pushed", String.valueOf(image.pushed()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (modelLayer != null) {
            params.put("image_model_layer_digest", modelLayer.digest());
            metrics.put("image_model_layer_bytes", (double) modelLayer.size());
            metrics.put("image_layers", (double) image.layers().size());
        }
        return new StageResult(artifacts, metrics, params);
    }

    /** The bundle's artifacts (names under {@code model/}); without {@code model/model.bin} there is nothing to serve. */
    static Map<String, String> bundleArtifacts(StageEvent input) {
        Map<String, String> bundle = new TreeMap<>();
        input.artifacts().forEach((name, uri) -> {
            if (name.startsWith("model/")) {
                bundle.put(name, uri);
            }
        });
        if (!bundle.containsKey(MODEL_BIN)) {
            throw new StageFailure("the input event carries no " + MODEL_BIN + " artifact (it has: "
                    + new TreeMap<>(input.artifacts()).keySet() + "): the image needs the trained model bundle");
        }
        return bundle;
    }

    private Map<String, Path> download(Map<String, String> bundle, Path work) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> artifact : bundle.entrySet()) {
            Path local = work.resolve("bundle").resolve(artifact.getKey());
            URI uri = URI.create(artifact.getValue());
            try (InputStream in = store.open(uri)) {
                Files.createDirectories(local.getParent());
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                throw InputArtifacts.failure(artifact.getKey(), uri, e);
            }
            files.put(MODEL_ROOT + "/" + artifact.getKey(), local);
        }
        return files;
    }

    /** Where model-server finds the bundle, and the registry name and version its /version and metrics report. */
    private static Map<String, String> environment(StageEvent input, String modelName) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MLOPS_MODEL_URI", "file:" + MODEL_ROOT);
        Optional.ofNullable(modelName).ifPresent(name -> environment.put("MLOPS_MODEL_NAME", name));
        Optional.ofNullable(input.params().get("model_version")).ifPresent(v -> environment.put("MLOPS_MODEL_VERSION", v));
        return environment;
    }

    private static Map<String, String> labels(StageEvent input, String modelName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_PREFIX + "run-id", input.runId());
        if (modelName != null) {
            labels.put(LABEL_PREFIX + "model-name", modelName);
        }
        Optional.ofNullable(input.params().get("model_version")).ifPresent(v -> labels.put(LABEL_PREFIX + "model-version", v));
        labels.put("org.opencontainers.image.title", modelName == null ? "model" : modelName);
        return labels;
    }

    private Path createWorkDir(String runId) {
        try {
            Path parent = Files.createDirectories(config.cacheDir().resolve("work"));
            return Files.createTempDirectory(parent, ImageNames.runTag(runId) + "-");
        } catch (IOException e) {
            throw new StageFailure("could not create a work folder under " + config.cacheDir() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Folders.deleteRecursively(dir);
        } catch (IOException e) {
            // a leftover work folder under the cache is harmless
        }
    }
}
