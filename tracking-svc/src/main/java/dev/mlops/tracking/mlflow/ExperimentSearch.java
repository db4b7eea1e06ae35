package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.ExperimentTag;
import dev.mlops.tracking.service.ExperimentService.Tagged;
import dev.mlops.tracking.service.InvalidInput;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * experiments/search's filter and order_by, as MLflow's search_utils reads them: comparisons ({@link SearchFilter})
 * of {@code name} and {@code tags.<key>} with =, !=, LIKE, ILIKE against a quoted string; order by name,
 * experiment_id, creation_time or last_update_time.
 * Experiments are few, so they are matched in memory.
 */
final class ExperimentSearch {

    private static final List<String> ORDER_KEYS = List.of("name", "experiment_id", "creation_time", "last_update_time");

    private ExperimentSearch() {
    }

    /** @param filter null or blank: every experiment */
    static Predicate<Tagged> filter(String filter) {
        Predicate<Tagged> all = t -> true;
        for (SearchFilter.Comparison comparison : SearchFilter.parse(filter)) {
            all = all.and(comparison(comparison));
        }
        return all;
    }

    /** MLflow's default order: newest first, then by id. */
    static Comparator<Tagged> order(List<String> orderBy) {
        Comparator<Tagged> order = null;
        for (String clause : orderBy) {
            SearchFilter.Order by = SearchFilter.order(clause);
            if (by.entity() != SearchFilter.Entity.ATTRIBUTE || !ORDER_KEYS.contains(by.key())) {
                throw new InvalidInput("order_by", "invalid order_by clause '" + Text.quote(clause)
                        + "': expected name, experiment_id, creation_time or last_update_time, then ASC or DESC");
            }
            Comparator<Tagged> next = by.ascending() ? key(by.key()) : key(by.key()).reversed();
            order = order == null ? next : order.thenComparing(next);
        }
        Comparator<Tagged> byId = key("experiment_id");
        return order == null ? key("creation_time").reversed().thenComparing(byId) : order.thenComparing(byId);
    }

    private static Comparator<Tagged> key(String key) {
        Function<Experiment, Comparable> value = switch (key) {
            case "name" -> e -> e.name;
            case "experiment_id" -> e -> e.id;
            case "creation_time" -> e -> e.createdAt;
            default -> e -> e.lastUpdatedAt == null ? e.createdAt : e.lastUpdatedAt;
        };
        return Comparator.comparing(t -> value.apply(t.experiment()));
    }

    private static Predicate<Tagged> comparison(SearchFilter.Comparison comparison) {
        boolean name = comparison.entity() == SearchFilter.Entity.ATTRIBUTE && comparison.key().equals("name");
        if (!name && comparison.entity() != SearchFilter.Entity.TAG
                || !List.of("=", "!=", "LIKE", "ILIKE").contains(comparison.operator())
                || !(comparison.values().get(0) instanceof String)) {
            throw new InvalidInput("filter", "experiments are filtered on name or tags.<key>, with =, !=, LIKE or"
                    + " ILIKE and a quoted string");
        }
        Predicate<String> test = SearchFilter.textTest(comparison, "an experiment's name or tag");
        if (name) {
            return t -> test.test(t.experiment().name);
        }
        // a tag the experiment lacks matches no comparison, as in MLflow's SQL join
        return t -> t.tags().stream().filter((ExperimentTag tag) -> tag.key.equals(comparison.key()))
                .anyMatch(tag -> test.test(tag.value));
    }
}
