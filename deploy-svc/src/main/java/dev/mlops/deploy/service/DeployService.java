package dev.mlops.deploy.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.store.S3Settings;
import dev.mlops.deploy.service.ModelServerLauncher.ModelServer;
import dev.mlops.runtime.stage.StageFailure;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deploy stage: roll the run's model out (Kubernetes: the serving Deployment gets the run's image; local: a
 * model-server process behind the stable front), test the live endpoint with the run's test split, then point the
 * registry alias {@code production} at the model version and report the serving URL.
 * A model that fails its test never keeps serving: locally it never gets traffic, on Kubernetes the previous
 * image is put back.
 */
public class DeployService {

    private static final Logger LOG = Logger.getLogger(DeployService.class);

    private final Supplier<KubernetesTarget> kubernetes;
    private final Optional<String> kubernetesServingUrl;
    private final Supplier<LocalTarget> local;
    private final InferenceCheck inference;
    private final ModelAliases aliases;
    private final S3Settings s3;

    public DeployService(Supplier<KubernetesTarget> kubernetes, Optional<String> kubernetesServingUrl,
                         Supplier<LocalTarget> local, InferenceCheck inference, ModelAliases aliases, S3Settings s3) {
        this.kubernetes = kubernetes;
        this.kubernetesServingUrl = kubernetesServingUrl;
        this.local = local;
        this.inference = inference;
        this.aliases = aliases;
        this.s3 = s3;
    }

    public StageResult deploy(StageEvent input) {
        String target = input.spec().deploy() == null ? "local" : input.spec().deploy().target();
        if (!"kubernetes".equals(target) && !"local".equals(target)) {
            throw new StageFailure("deploy.target '" + target + "' cannot be deployed: use local or kubernetes");
        }
        String modelName = input.params().getOrDefault("model_name",
                input.spec().model() == null ? null : input.spec().model().name());
        if (modelName == null) {
            throw new StageFailure("neither the event's params (model_name) nor its spec (model.name) name the model");
        }
        int version = modelVersion(input, modelName);
        InferenceCheck.Expectation expectation = inference.prepare(input);
        Deployed deployed = switch (target) {
            case "kubernetes" -> toKubernetes(input, expectation);
            case "local" -> toLocal(input, expectation, modelName, version);
            default -> throw new StageFailure("deploy.target '" + target + "' cannot be deployed: use local or kubernetes");
        };
        aliases.set(modelName, ModelAliases.PRODUCTION, version);
        LOG.infof("run %s: %s version %d serves at %s (inference accuracy %.4f), alias production set", input.runId(),
                modelName, version, deployed.servingUrl, deployed.outcome.accuracy());

        Map<String, String> params = new LinkedHashMap<>(deployed.params);
        params.put("serving_url", deployed.servingUrl);
        params.put("deploy_target", target);
        params.put("model_name", modelName);
        params.put("model_version", Integer.toString(version));
        params.put("model_alias", ModelAliases.PRODUCTION);
        return new StageResult(Map.of(), Map.of("inference_accuracy", deployed.outcome.accuracy(),
                "inference_rows", (double) deployed.outcome.rows()), params);
    }

    private record Deployed(String servingUrl, InferenceCheck.Outcome outcome, Map<String, String> params) {
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

    private Deployed toLocal(StageEvent input, InferenceCheck.Expectation expectation, String modelName, int version) {
        String modelUri = ArtifactUri.forRun(s3.bucket(), input.runId(), "model").toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MLOPS_MODEL_URI", modelUri);
        env.put("MLOPS_MODEL_NAME", modelName);
        env.put("MLOPS_MODEL_VERSION", Integer.toString(version));
        env.put("MLOPS_S3_ENDPOINT", s3.endpoint());
        env.put("MLOPS_S3_ACCESS_KEY", s3.accessKey());
        env.put("MLOPS_S3_SECRET_KEY", s3.secretKey());
        env.put("MLOPS_S3_BUCKET", s3.bucket());
        env.put("MLOPS_S3_REGION", s3.region());
        LocalTarget target = local.get();
        ModelServer candidate = target.start(input.runId(), env);
        InferenceCheck.Outcome outcome;
        try {
            outcome = inference.run(expectation, candidate.url() + "/invocations");
        } catch (RuntimeException e) {
            target.discard(candidate);
            throw e;
        }
        String servingUrl = target.promote(candidate, Map.of("modelUri", modelUri, "modelName", modelName,
                "modelVersion", Integer.toString(version)));
        return new Deployed(servingUrl, outcome, Map.of("model_uri", modelUri));
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
