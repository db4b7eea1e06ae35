package dev.mlops.train.service;

/**
 * One unit of a grid search's work: a batch of candidates (a forest group sharing trees across n_estimators, or a
 * single candidate) cross-validated on one fold. Its {@link #id()} names it on the work topic and in the store.
 */
public record SearchWork(int batch, int fold) {

    public String id() {
        return "b" + batch + "-f" + fold;
    }

    /** The unit an {@link #id()} names. */
    public static SearchWork parse(String id) {
        int dash = id.indexOf("-f");
        if (!id.startsWith("b") || dash < 2) {
            throw new IllegalArgumentException("not a search unit id: " + id);
        }
        return new SearchWork(Integer.parseInt(id.substring(1, dash)), Integer.parseInt(id.substring(dash + 2)));
    }
}
