package dev.mlops.bench;

import java.util.List;

/** A section that failed for some of its figures: the ones it did measure still go into the results. */
final class PartlyMeasured extends Exception {

    private final transient List<Figure> figures;

    PartlyMeasured(String message, List<Figure> figures) {
        super(message);
        this.figures = List.copyOf(figures);
    }

    List<Figure> figures() {
        return figures;
    }
}
