package dev.mlops.model.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Class labels: the target's distinct values sorted as scikit-learn sorts them, and labels as indexes into them. */
public final class Labels {

    private Labels() {
    }

    /** The distinct labels in scikit-learn's order (numbers numerically, else lexicographically). */
    public static List<String> classLabels(List<String> values) {
        return Values.sortedLikeSklearn(new LinkedHashSet<>(values));
    }

    /** Each value's index in {@code classLabels}; a value that is not a known label is an error naming it. */
    public static int[] encode(List<String> values, List<String> classLabels) {
        Map<String, Integer> index = indexOf(classLabels);
        int[] encoded = new int[values.size()];
        for (int i = 0; i < encoded.length; i++) {
            Integer label = index.get(values.get(i));
            if (label == null) {
                throw new IllegalArgumentException("label '" + values.get(i) + "' in row " + (i + 1)
                        + " is not one of the model's classes " + classLabels);
            }
            encoded[i] = label;
        }
        return encoded;
    }

    /** {@code classLabels} followed by any label of {@code values} that it lacks (sorted), e.g. a class never trained on. */
    public static List<String> extend(List<String> classLabels, List<String> values) {
        Set<String> known = Set.copyOf(classLabels);
        List<String> extra = classLabels(values.stream().filter(v -> !known.contains(v)).toList());
        List<String> all = new ArrayList<>(classLabels);
        all.addAll(extra);
        return all;
    }

    public static List<String> decode(int[] indexes, List<String> classLabels) {
        List<String> labels = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            labels.add(classLabels.get(i));
        }
        return labels;
    }

    private static Map<String, Integer> indexOf(List<String> classLabels) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classLabels.size(); i++) {
            index.put(classLabels.get(i), i);
        }
        return index;
    }
}
