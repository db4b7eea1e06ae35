package dev.mlops.deploy.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.store.S3Settings;
import dev.mlops.runtime.registry.ModelAliases;
import dev.mlops.runtime.stage.StageFailure;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deploy stage: roll the run's model out (Kubernetes: the serving Deployment gets the run's image; container:
 * the run's image runs through the Docker Engine API; local: the warm model-server on the stable port loads it), test
 * the endpoint with the run's test split, then point the registry alias {@code production} at the model version and
 * report the serving URL. Containers serve behind the stable front ({@link ServingSlot}); local deploys swap the model
 * inside the warm server ({@link LocalServing}) on the same port; a switch between the two modes is not gapless. A model that fails its test never keeps serving: on this machine it never gets traffic, on
 * Kubernetes the previous image is put back.
 */
public class DeployService {

    private static final Logger LOG = Logger.getLogger(DeployService.class);
    static final String TARGETS = "local, container or kubernetes";
    /** The image stage's docker-load tarball of an image it did not push. */
    static final String IMAGE_TAR = "image/image.tar";

    private final Supplier<KubernetesTarget> kubernetes;
    private final Optional<String> kubernetesServingUrl;
    private final Supplier<ServingSlot> slot;
    private final Supplier<LocalServing> local;
    private final ContainerLauncher containers;
    private final InferenceCheck inference;
    private final ModelAliases aliases;
    private final S3Settings s3;

    public DeployService(Supplier<KubernetesTarget> kubernetes, Optional<String> kubernetesServingUrl,
                         Supplier<ServingSlot> slot, Supplier<LocalServing> local, ContainerLauncher containers,
                         InferenceCheck inference, ModelAliases aliases, S3Settings s3) {
        this.kubernetes = kubernetes;
        this.kubernetesServingUrl = kubernetesServingUrl;
        this.slot = slot;
        this.local = local;
        this.containers = containers;
        this.inference = inference;
        this.aliases = aliases;
        this.s3 = s3;
    }

    public StageResult deploy(StageEvent input) {
        String target = input.spec().deploy().target(); // the stage runner hands over a complete, validated spec
        String modelName = input.params().getOrDefault("model_name", input.spec().model().name());
        int version = modelVersion(input, modelName);
        InferenceCheck.Expectation expectation = inference.prepare(input);
        Deployed deployed = switch (target) {
            case "kubernetes" -> toKubernetes(input, expectation);
            case "local" -> toLocal(input, expectation, modelName, version);
            case "container" -> toContainer(input, expectation, modelName, version);
            default -> throw new StageFailure("deploy.target '" + target + "' cannot be deployed: use " + TARGETS);
        };
        aliases.set(modelName, ModelAliases.PRODUCTION, version);
        LOG.infof("run %s: %s version %d serves at %s (%s %.4f), alias production set", input.runId(),
                modelName, version, deployed.servingUrl, deployed.outcome.metric(), deployed.outcome.score());

        Map<String, String> params = new LinkedHashMap<>(deployed.params);
        params.put("serving_url", deployed.servingUrl);
        params.put("deploy_target", target);
        params.put("model_name", modelName);
        params.put("model_version", Integer.toString(version));
        params.put("model_alias", ModelAliases.PRODUCTION);
        Map<String, Double> metrics = new LinkedHashMap<>(deployed.metrics);
        metrics.put(deployed.outcome.metric(), deployed.outcome.score());
        metrics.put("inference_rows", (double) deployed.outcome.rows());
        return new StageResult(Map.of(), metrics, params);
    }

    private record Deployed(String servingUrl, InferenceCheck.Outcome outcome, Map<String, String> params,
                            Map<String, Double> metrics) {
        Deployed(String servingUrl, InferenceCheck.Outcome outcome, Map<String, String> params) {
            this(servingUrl, outcome, params, Map.of());
        }
    }

    private Deployed toKubernetes(StageEvent input, InferenceCheck.Expectation expectation) {
        String image = input.params().get("image_ref");
        if (image == null || image.isBlank()) {
            throw new StageFailure("the input event carries no image_ref param: image-svc must push the image first");
        }
        if (Boolean.FALSE.toString().equals(input.params().get("image_pushed"))) {
            throw new StageFailure("image " + image + " was written as a tarball, not pushed: a cluster cannot pull it"
                    + " (configure mlops.image.registry in image-svc)");
        }
        String servingUrl = kubernetesServingUrl.map(DeployService::invocations).orElseThrow(() -> new StageFailure(
                "mlops.deploy.kubernetes.serving-url is not set: deploy cannot test the rolled-out model"
                        + " (set it to the serving Service's URL)"));
        KubernetesTarget cluster = kubernetes.get();
        KubernetesTarget.Rollout rollout = cluster.rollOut(image);
        InferenceCheck.Outcome outcome;
        try {
            outcome = inference.run(expectation, servingUrl);
        } catch (StageFailure e) {
            cluster.rollBack(rollout);
            throw new StageFailure(e.getMessage() + "; Deployment " + cluster.name() + " is set back to "
                    + rollout.previousImage(), e);
        }
        return new Deployed(servingUrl, outcome, Map.of("image_ref", image, "deployment", cluster.name()));
    }

    /** The warm local model-server stages the run's bundle, the check scores the staged model, then it is promoted. */
    private Deployed toLocal(StageEvent input, InferenceCheck.Expectation expectation, String modelName, int version) {
        String modelUri = ArtifactUri.forRun(s3.bucket(), input.runId(), "model").toString();
        slot.get().retire();
        LocalServing serving = local.get();
        InferenceCheck.Outcome outcome = serving.deploy(
                new LocalServing.Served(input.runId(), modelUri, modelName, Integer.toString(version)),
                (stagedUrl, headers) -> inference.run(expectation, stagedUrl, headers));
        return new Deployed(serving.servingUrl(), outcome, Map.of("model_uri", modelUri));
    }

    /** The image the image stage built (its model inside, so no S3 credentials go in), run as a container. */
    private Deployed toContainer(StageEvent input, InferenceCheck.Expectation expectation, String modelName,
                                 int version) {
        String image = input.params().get("image_ref");
        if (image == null || image.isBlank()) {
            throw new StageFailure("the input event carries no image_ref param: the image stage must build the image"
                    + " first");
        }
        Optional<URI> tarball = Optional.empty();
        if (Boolean.FALSE.toString().equals(input.params().get("image_pushed"))) {
            String uri = input.artifacts().get(IMAGE_TAR);
            if (uri == null) {
                throw new StageFailure("image " + image + " was not pushed and the input event carries no " + IMAGE_TAR
                        + " artifact: nothing to run (configure mlops.image.registry in image-svc, or keep its"
                        + " tarball)");
            }
            tarball = Optional.of(URI.create(uri));
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MLOPS_MODEL_NAME", modelName);
        env.put("MLOPS_MODEL_VERSION", Integer.toString(version));
        ServingSlot serving = slot.get();
        ContainerLauncher.ModelContainer container = containers.start(input.runId(),
                new ContainerLauncher.RunImage(image, tarball), env);
        Served served = testThenServe(serving, container, expectation,
                Map.of("modelName", modelName, "modelVersion", Integer.toString(version)));
        return new Deployed(served.url, served.outcome, Map.of("image_ref", image, "container_id", container.id(),
                "container_name", container.name()),
                Map.of("container_ready_seconds", container.startToReady().toMillis() / 1000.0));
    }
    private record Served(String url, InferenceCheck.Outcome outcome) {
    }

    /** Tests the started model-server on its own port; only one that passes gets the front's traffic. */
    private Served testThenServe(ServingSlot serving, ModelBackend candidate, InferenceCheck.Expectation expectation,
                                 Map<String, String> details) {
        try {
            InferenceCheck.Outcome outcome = inference.run(expectation, candidate.url() + "/invocations");
            local.get().release();
            return new Served(serving.promote(candidate, details), outcome);
        } catch (RuntimeException e) {
            serving.discard(candidate);
            throw e;
        }
    }

    private int modelVersion(StageEvent input, String modelName) {
        String param = input.params().get("model_version");
        if (param != null) {
            try {
                return Integer.parseInt(param.trim());
            } catch (NumberFormatException e) {
                throw new StageFailure("param model_version is '" + param + "', not a version number");
            }
        }
        return aliases.versionOfRun(modelName, input.runId()).orElseThrow(() -> new StageFailure(
                "model " + modelName + " has no version registered from run " + input.runId()
                        + " (and the event has no model_version param): nothing to point 'production' at"));
    }

    private static String invocations(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base.endsWith("/invocations") ? base : base + "/invocations";
    }
}
