package dev.mlops.model.bundle;

import dev.mlops.model.preprocess.Preprocessor;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model takes and gives: the raw input columns (typed numeric or categorical) the preprocessor reads,
 * the feature columns the forest reads, and the target it predicts.
 */
public record ModelSignature(List<InputColumn> inputs, List<String> featureColumns, String target) {

    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    /** @param type {@link #NUMERIC} or {@link #CATEGORICAL} */
    public record InputColumn(String name, String type) {
    }

    public ModelSignature {
        inputs = List.copyOf(inputs);
        featureColumns = List.copyOf(featureColumns);
    }

    public static ModelSignature of(Preprocessor preprocessor, String target) {
        List<InputColumn> inputs = new ArrayList<>();
        preprocessor.numericColumns().forEach(c -> inputs.add(new InputColumn(c.name(), NUMERIC)));
        preprocessor.categoricalColumns().forEach(c -> inputs.add(new InputColumn(c.name(), CATEGORICAL)));
        return new ModelSignature(inputs, preprocessor.featureNames(), target);
    }

    public List<String> inputColumns() {
        return inputs.stream().map(InputColumn::name).toList();
    }
}
