package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.InvalidBundleException;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.Values;
import dev.mlops.model.metrics.RegressionMetrics;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The smoke test of a live endpoint, as the published workflow does it: the run's test split (preprocessed feature
 * columns) goes to {@code POST /invocations} as {@code dataframe_split}; the answers must be exactly what the run's
 * model bundle predicts in-process (class labels, or for a regressor the same numbers), and their score against
 * {@code y_test} is reported: accuracy for a classifier, R² for a regressor.
 */
public class InferenceCheck {

    public static final String X_TEST = "preprocess/X_test.csv";
    public static final String Y_TEST = "preprocess/y_test.csv";

    /**
     * @param metric {@code inference_accuracy} (share of served labels equal to y_test) or, for a regressor,
     *               {@code inference_r2} (R² of the served numbers against y_test)
     */
    public record Outcome(String metric, double score, int rows) {
    }

    private final ArtifactStore store;
    private final int batchSize;
    private final Duration requestTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public InferenceCheck(ArtifactStore store, int batchSize, Duration requestTimeout) {
        this.store = store;
        this.batchSize = batchSize;
        this.requestTimeout = requestTimeout;
    }

    /** The run's test split and what its own model predicts for it, read before anything is rolled out. */
    public record Expectation(String runId, List<String> features, double[][] x, List<String> y,
                              List<String> expected, boolean regression) {
    }

    /** Reads the run's bundle and test split; fails naming what is missing or unreadable. */
    public Expectation prepare(StageEvent input) {
        ModelBundle bundle = bundle(input);
        List<String> features = bundle.preprocessor().featureNames();
        double[][] x;
        List<String> y;
        try {
            x = FeatureTable.read(CsvTable.parse(read(input, X_TEST)), features);
            y = LabelColumn.parse(read(input, Y_TEST)).values();
        } catch (CsvFormatException e) {
            throw new StageFailure("the run's test split cannot be read: " + e.getMessage(), e);
        }
        if (x.length != y.size() || x.length == 0) {
            throw new StageFailure(X_TEST + " has " + x.length + " rows and " + Y_TEST + " " + y.size()
                    + " labels: the inference test needs the same, non-zero number");
        }
        List<String> expected = bundle.regression()
                ? Arrays.stream(bundle.predictValues(x)).mapToObj(Double::toString).toList()
                : Labels.decode(bundle.predict(x), bundle.classLabels());
        return new Expectation(input.runId(), features, x, y, expected, bundle.regression());
    }

    public Outcome run(Expectation expectation, String invocationsUrl) {
        return run(expectation, invocationsUrl, Map.of());
    }

    /** {@code headers} go with every request (the warm model-server's admin token for its staged model). */
    public Outcome run(Expectation expectation, String invocationsUrl, Map<String, String> headers) {
        double[][] x = expectation.x();
        List<String> y = expectation.y();
        List<String> expected = expectation.expected();
        List<String> features = expectation.features();
        List<JsonNode> served = new ArrayList<>(x.length);
        for (int from = 0; from < x.length; from += batchSize) {
            served.addAll(invoke(invocationsUrl, headers, features, x, from, Math.min(x.length, from + batchSize)));
        }
        int differing = 0;
        int firstDifference = -1;
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            if (!sameLabel(served.get(i), expected.get(i))) {
                differing++;
                firstDifference = firstDifference < 0 ? i : firstDifference;
            }
            if (sameLabel(served.get(i), y.get(i))) {
                correct++;
            }
        }
        if (differing > 0) {
            throw new StageFailure("the model served at " + invocationsUrl + " predicts differently from run "
                    + expectation.runId() + "'s model on " + differing + " of " + x.length + " test rows (first: row "
                    + (firstDifference + 1) + ", served " + served.get(firstDifference) + ", expected '"
                    + expected.get(firstDifference) + "'): the endpoint does not serve this run's model");
        }
        if (expectation.regression()) {
            return new Outcome("inference_r2", r2(served, y), x.length);
        }
        return new Outcome("inference_accuracy", (double) correct / x.length, x.length);
    }

    private static double r2(List<JsonNode> served, List<String> y) {
        double[] truth = new double[y.size()];
        double[] predicted = new double[y.size()];
        for (int i = 0; i < truth.length; i++) {
            Double value = Values.parseNumber(y.get(i));
            truth[i] = value == null ? Double.NaN : value;
            predicted[i] = served.get(i).asDouble();
        }
        return RegressionMetrics.r2(truth, predicted);
    }

    private List<JsonNode> invoke(String url, Map<String, String> headers, List<String> features, double[][] x, int from, int to) {
        ObjectNode split = Json.mapper().createObjectNode();
        ArrayNode columns = split.putArray("columns");
        features.forEach(columns::add);
        ArrayNode data = split.putArray("data");
        for (int i = from; i < to; i++) {
            ArrayNode row = data.addArray();
            for (double v : x[i]) {
                row.add(v);
            }
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("dataframe_split", split);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StageFailure("the serving endpoint " + url + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("interrupted while calling " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new StageFailure("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode predictions;
        try {
            predictions = Json.tree(response.body()).path("predictions");
        } catch (JsonInputException e) {
            throw new StageFailure("POST " + url + " answered something that is not JSON: " + response.body(), e);
        }
        if (!predictions.isArray() || predictions.size() != to - from) {
            throw new StageFailure("POST " + url + " answered " + predictions.size() + " predictions for " + (to - from)
                    + " rows: " + abbreviate(response.body()));
        }
        List<JsonNode> answers = new ArrayList<>();
        predictions.forEach(answers::add);
        return answers;
    }

    /** A served prediction (JSON number or string) equals a label; numeric labels compare as numbers (1 = 1.0). */
    static boolean sameLabel(JsonNode served, String label) {
        if (served.asText().equals(label)) {
            return true;
        }
        if (served.isNumber()) {
            try {
                return served.asDouble() == Double.parseDouble(label);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private ModelBundle bundle(StageEvent input) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        input.artifacts().forEach((name, uri) -> {
            if (ModelBundle.REQUIRED_FILES.contains(name) || ModelBundle.MLMODEL_FILE.equals(name)) {
                files.put(name, read(input, name));
            }
        });
        try {
            return ModelBundle.fromFiles(files);
        } catch (InvalidBundleException e) {
            throw new StageFailure("the run's model bundle cannot be loaded for the inference test: " + e.getMessage(), e);
        }
    }

    private byte[] read(StageEvent input, String name) {
        return InputArtifacts.read(store, input, name, "the inference test");
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
