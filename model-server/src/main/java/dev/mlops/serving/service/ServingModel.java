package dev.mlops.serving.service;

import dev.mlops.common.json.Json;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.forest.ForestPredictor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The loaded bundle, ready to score requests: parsing, feature rows, prediction and the answer's JSON: class labels
 * for a classifier (through the compiled forest for a random forest), numbers for a regressor.
 */
public class ServingModel {

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private final ModelBundle bundle;
    private final ModelInfo info;
    private final RequestParser parser = new RequestParser();
    private final FeatureRows featureRows;
    private final ForestPredictor predictor;
    private final String[] labelJson;

    public ServingModel(ModelBundle bundle, ModelInfo info) {
        this.bundle = bundle;
        this.info = info;
        this.featureRows = new FeatureRows(bundle.preprocessor(), bundle.signature());
        this.predictor = bundle.regression() ? null : ForestPredictor.of(bundle.classifier());
        List<String> labels = bundle.classLabels();
        this.labelJson = new String[labels.size()];
        for (int c = 0; c < labelJson.length; c++) {
            // numeric-looking labels answer as numbers, as scikit-learn's 0/1 do
            labelJson[c] = JSON_NUMBER.matcher(labels.get(c)).matches() ? labels.get(c) : Json.write(labels.get(c));
        }
    }

    /** What one request gave: its format, the predicted class indexes (none for a regressor) and the answer body. */
    public record Scored(String format, int[] classes, byte[] body) {
    }

    public Scored score(String contentType, byte[] body) {
        InputTable table = parser.parse(contentType, body);
        double[][] x = featureRows.of(table);
        if (predictor == null) {
            return new Scored(table.format(), new int[0], answer(bundle.predictValues(x)));
        }
        int[] classes = predictor.predict(x);
        return new Scored(table.format(), classes, answer(classes));
    }

    private byte[] answer(int[] classes) {
        StringBuilder json = new StringBuilder(20 + classes.length * 3).append("{\"predictions\": [");
        for (int i = 0; i < classes.length; i++) {
            if (i > 0) {
                json.append(", ");
            }
            json.append(labelJson[classes[i]]);
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] answer(double[] values) {
        StringBuilder json = new StringBuilder(20 + values.length * 8).append("{\"predictions\": [");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                json.append(", ");
            }
            json.append(values[i]);
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public ModelInfo info() {
        return info;
    }

    public List<String> classLabels() {
        return bundle.classLabels();
    }

    public List<String> featureColumns() {
        return bundle.signature().featureColumns();
    }

    public List<String> inputColumns() {
        return bundle.signature().inputColumns();
    }

    /** Whether predictions walk the flat-array copy of a random forest (else the model's own predict). */
    public boolean compiled() {
        return predictor != null && predictor.compiled();
    }

    /** The random forest's tree count; 0 for another model. */
    public int treeCount() {
        return predictor == null ? 0 : predictor.treeCount();
    }

    /** "classification" or "regression". */
    public String task() {
        return bundle.task();
    }

    public Map<String, String> metadata() {
        return bundle.metadata();
    }
}
