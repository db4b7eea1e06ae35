package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.model.bundle.ModelBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an MLflow user sees of a pipeline run, through the official MLflow Java client pointed at the live platform
 * ({@code MLFLOW_TRACKING_URI} = tracking-svc, {@code MLFLOW_TRACKING_TOKEN} = the platform's token): the run found by
 * a metric filter in its pipeline's experiment, the grid search as a metric history, and the {@code production}
 * version's download URI leading, through the artifact proxy, to the very bundle the live endpoint serves.
 */
@ExtendWith(LocalPlatform.class)
class MlflowApiIT {

    static final String DEPLOYED_TWO_CANDIDATES = """
            {"model": {"grid": {"n_estimators": [100], "max_depth": [5, 10], "min_samples_split": [5],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "local"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void aPipelineRunIsAnMlflowRunAndItsProductionVersionDownloadsTheServedBundle() throws Exception {
        JsonNode run = platform.runToSuccess(DEPLOYED_TWO_CANDIDATES);
        String runId = run.path("runId").asText();
        MlflowClient mlflow = new MlflowClient(new BasicMlflowHostCreds(trackingUrl(), platform.env().get("MLOPS_API_TOKEN")));

        // the run is found in its pipeline's experiment by the filter an MLflow user would write
        Experiment experiment = mlflow.getExperimentByName(run.path("spec").path("name").asText()).orElseThrow();
        List<RunInfo> found = mlflow.searchRuns(List.of(experiment.getExperimentId()),
                "metrics.accuracy > 0.7 and attributes.status = 'FINISHED'");
        assertThat(found).extracting(RunInfo::getRunId).contains(runId);

        // params, metrics and the grid search's candidates (one step each) as MLflow shows them
        Run mlflowRun = mlflow.getRun(runId);
        assertThat(mlflowRun.getData().getMetricsList()).filteredOn(m -> m.getKey().equals("accuracy"))
                .extracting(Metric::getValue).containsExactly(run.path("metrics").path("accuracy").asDouble());
        assertThat(mlflow.getMetricHistory(runId, "cv_mean_test_score")).extracting(Metric::getStep)
                .containsExactlyInAnyOrder(0L, 1L);

        // the production version: its download URI is the bundle the live endpoint loaded
        String modelName = run.path("spec").path("model").path("name").asText();
        String servingUrl = run.path("servingUrl").asText();
        JsonNode served = serving.version(servingUrl);
        assertThat(served.path("runId").asText()).isEqualTo(runId);
        JsonNode byAlias = get("/api/2.0/mlflow/registered-models/alias?name=" + encode(modelName) + "&alias=production");
        String version = byAlias.path("model_version").path("version").asText();
        assertThat(version).isEqualTo(served.path("version").asText());
        ModelVersion production = mlflow.getModelVersion(modelName, version);
        assertThat(production.getRunId()).isEqualTo(runId);
        assertThat(production.getAliasesList()).contains("production");

        String downloadUri = mlflow.getModelVersionDownloadUri(modelName, version);
        String proxyPath = experiment.getExperimentId() + "/" + runId + "/artifacts/model";
        assertThat(downloadUri).isEqualTo("mlflow-artifacts:/" + proxyPath);
        assertThat(served.path("modelUri").asText()).endsWith("/runs/" + runId + "/model");

        // every file of the served bundle comes back through the artifact proxy byte for byte
        Map<String, String> artifacts = platform.artifacts(run);
        for (String file : ModelBundle.REQUIRED_FILES) {
            byte[] stored = platform.artifacts().read(URI.create(artifacts.get(file)));
            String relative = file.substring("model/".length());
            assertThat(download("/api/2.0/mlflow-artifacts/artifacts/" + proxyPath + "/" + relative))
                    .as(file).isEqualTo(stored);
        }
    }

    private String trackingUrl() {
        return "http://127.0.0.1:" + platform.env().get("MLOPS_TRACKING_PORT");
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(download(path));
    }

    private byte[] download(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(trackingUrl() + path))
                .header("Authorization", "Bearer " + platform.env().get("MLOPS_API_TOKEN")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s: %s", path, new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return response.body();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
