package dev.mlops.preprocess.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.data.Values;
import dev.mlops.model.preprocess.InvalidDataException;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.runtime.stage.StageFailure;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The preprocess stage's work on a parsed dataset: check it, split it as scikit-learn's train_test_split does,
 * fit the preprocessor on the training split (or on every row when {@code split.fitOn} is "all", as the
 * published workflow does) and transform both splits. Input a model cannot learn from is a {@link StageFailure}.
 */
public final class SplitPreparation {

    private static final int SHARED_LABELS = 10_000;

    private SplitPreparation() {
    }

    public static PreparedSplits prepare(CsvTable raw, PipelineSpec spec) {
        String target = spec.target();
        if (raw.columnIndex(target) < 0) {
            throw new StageFailure("the dataset has no target column '" + target + "' (its columns: " + raw.header() + ")");
        }
        List<String> labels = labels(raw.column(target));
        checkLabelled(target, labels, "the dataset");
        TargetTask task = TargetTask.of(spec, labels);
        if (!task.regression()) {
            checkClasses(target, labels, "the dataset");
        }
        try {
            Preprocessor.validate(raw, spec.features());
        } catch (InvalidDataException e) {
            throw new StageFailure(e.getMessage());
        }
        PipelineSpec.Split split = spec.split();
        if (task.regression() && Boolean.TRUE.equals(split.stratify())) {
            throw new StageFailure("split.stratify keeps each class's share in both splits, but this run is a"
                    + " regression (task " + (task.inferred() ? "inferred from" : "given for") + " target column '"
                    + target + "'): a numeric target has no classes; leave split.stratify out");
        }
        checkSplitSizes(split, labels);
        TrainTestSplit rows;
        try {
            rows = Boolean.TRUE.equals(split.stratify())
                    ? TrainTestSplit.stratified(labels, split.testSize(), split.seed())
                    : TrainTestSplit.shuffle(labels.size(), split.testSize(), split.seed());
        } catch (IllegalArgumentException e) {
            throw new StageFailure("cannot split the dataset: " + e.getMessage());
        }
        CsvTable train = rows(raw, rows.train());
        CsvTable test = rows(raw, rows.test());
        List<String> trainLabels = pick(labels, rows.train());
        checkLabelled(target, trainLabels, "the training split");
        if (!task.regression()) {
            checkClasses(target, trainLabels, "the training split");
        }
        Preprocessor preprocessor;
        try {
            preprocessor = Preprocessor.fit(PipelineSpec.FIT_ON_ALL.equals(split.fitOn()) ? raw : train, spec.features());
        } catch (InvalidDataException e) {
            throw new StageFailure("cannot fit the preprocessor on the training split ("
                    + rows.train().length + " rows): " + e.getMessage());
        }
        // the splits are transformed as they are written: validate() has checked every value transform reads
        return new PreparedSplits(preprocessor, train, test,
                new LabelColumn(target, trainLabels), new LabelColumn(target, pick(labels, rows.test())), task,
                columns(test, featuresAndTarget(spec)));
    }

    private static List<String> featuresAndTarget(PipelineSpec spec) {
        List<String> columns = new ArrayList<>(spec.features().all());
        columns.add(spec.target());
        return columns;
    }

    /** A view of {@code table} with only the columns {@code names}, in that order: no cell is copied. */
    private static CsvTable columns(CsvTable table, List<String> names) {
        int[] indexes = names.stream().mapToInt(table::columnIndex).toArray();
        List<List<String>> rows = new AbstractList<>() {
            @Override
            public List<String> get(int r) {
                List<String> row = table.rows().get(r);
                return new AbstractList<>() {
                    @Override
                    public String get(int c) {
                        return row.get(indexes[c]);
                    }

                    @Override
                    public int size() {
                        return indexes.length;
                    }
                };
            }

            @Override
            public int size() {
                return table.rows().size();
            }
        };
        return new CsvTable(names, rows);
    }

    /**
     * The target column, trimmed, each distinct label one String (a million rows of two classes hold two, not a
     * million); past {@link #SHARED_LABELS} distinct values (a regression target) the rest are kept as they come.
     */
    private static List<String> labels(List<String> column) {
        Map<String, String> shared = new HashMap<>();
        List<String> labels = new ArrayList<>(column.size());
        for (String value : column) {
            String label = value.trim();
            String known = shared.get(label);
            if (known == null && shared.size() < SHARED_LABELS) {
                shared.put(label, label);
                known = label;
            }
            labels.add(known == null ? label : known);
        }
        return labels;
    }

    /** scikit-learn's sizes: ceil(testSize × rows) test rows, the rest for training; each split needs its rows. */
    private static void checkSplitSizes(PipelineSpec.Split split, List<String> labels) {
        int rows = labels.size();
        int testRows = (int) Math.ceil(split.testSize() * rows);
        int trainRows = rows - testRows;
        String sizes = "split.testSize " + split.testSize() + " leaves " + testRows + " test rows and " + trainRows
                + " training rows of the dataset's " + rows + " rows";
        if (testRows < 1 || trainRows < 1) {
            throw new StageFailure(sizes + ": both splits need at least one row");
        }
        int classes = Labels.classLabels(labels).size();
        if (Boolean.TRUE.equals(split.stratify()) && (testRows < classes || trainRows < classes)) {
            throw new StageFailure(sizes + ": a stratified split needs at least one row of each of the " + classes
                    + " classes in both");
        }
    }

    private static void checkLabelled(String target, List<String> labels, String where) {
        if (labels.isEmpty()) {
            throw new StageFailure(where + " has no rows: a model needs labelled rows to learn from");
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (Values.isMissing(labels.get(i))) {
                missing.add(i + 1);
            }
        }
        if (!missing.isEmpty()) {
            throw new StageFailure("target column '" + target + "' has no value in " + missing.size()
                    + " rows of " + where + " (first: row " + missing.get(0) + ", line " + (missing.get(0) + 1)
                    + "): every row needs a label");
        }
    }

    private static void checkClasses(String target, List<String> labels, String where) {
        List<String> classes = Labels.classLabels(labels);
        if (classes.size() < 2) {
            throw new StageFailure("target column '" + target + "' has a single class ('" + classes.get(0) + "') in all "
                    + labels.size() + " rows of " + where + ": a classifier needs at least two");
        }
    }

    /** A view of {@code table}'s rows {@code indexes}, in that order: no row is copied. */
    private static CsvTable rows(CsvTable table, int[] indexes) {
        List<List<String>> rows = new AbstractList<>() {
            @Override
            public List<String> get(int i) {
                return table.rows().get(indexes[i]);
            }

            @Override
            public int size() {
                return indexes.length;
            }
        };
        return new CsvTable(table.header(), rows);
    }

    private static List<String> pick(List<String> values, int[] indexes) {
        List<String> picked = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            picked.add(values.get(i));
        }
        return picked;
    }
}
