package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.RegistryEntries.ModelEntry;
import dev.mlops.tracking.service.RegistryEntries.VersionEntry;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * registered-models/search and model-versions/search: filters ({@link SearchFilter}) on a model's name and
 * {@code tags.<key>}, a version's name, run_id, source_path and tags; order_by as MLflow's SqlAlchemyStore reads
 * it, name ASC (and for versions version_number DESC) breaking ties. The registry is small: matched in memory.
 */
final class RegistrySearch {

    private static final Map<String, Function<ModelEntry, Comparable>> MODEL_ORDER = Map.of(
            "name", e -> e.model().name,
            "last_updated_timestamp", e -> e.model().updatedAt,
            "timestamp", e -> e.model().updatedAt);
    private static final Map<String, Function<VersionEntry, Comparable>> VERSION_ORDER = Map.of(
            "name", VersionEntry::modelName,
            "version_number", e -> e.version().version,
            "creation_timestamp", e -> e.version().createdAt,
            "last_updated_timestamp", e -> e.version().lastUpdatedAt);
    private static final Map<String, Function<VersionEntry, String>> VERSION_ATTRIBUTES = Map.of(
            "name", VersionEntry::modelName,
            "run_id", e -> e.version().runId,
            "source_path", VersionEntry::source);

    private RegistrySearch() {
    }

    static Predicate<ModelEntry> models(String filter) {
        Predicate<ModelEntry> all = e -> true;
        for (SearchFilter.Comparison c : SearchFilter.parse(filter)) {
            if (c.entity() == SearchFilter.Entity.TAG) {
                Predicate<String> test = SearchFilter.textTest(c, "a registered model's tag");
                all = all.and(e -> e.tags().stream().anyMatch(t -> t.key.equals(c.key()) && test.test(t.value)));
            } else if (c.entity() == SearchFilter.Entity.ATTRIBUTE && c.key().equals("name")) {
                Predicate<String> test = SearchFilter.textTest(c, "name");
                all = all.and(e -> test.test(e.model().name));
            } else {
                throw new InvalidInput("filter", "Invalid attribute key '" + Text.quote(c.key()) + "' specified."
                        + " Valid keys are 'name' and tags.<key>");
            }
        }
        return all;
    }

    static Predicate<VersionEntry> versions(String filter) {
        Predicate<VersionEntry> all = e -> true;
        for (SearchFilter.Comparison c : SearchFilter.parse(filter)) {
            if (c.entity() == SearchFilter.Entity.TAG) {
                Predicate<String> test = SearchFilter.textTest(c, "a model version's tag");
                all = all.and(e -> e.tags().stream().anyMatch(t -> t.key.equals(c.key()) && test.test(t.value)));
            } else if (c.entity() == SearchFilter.Entity.ATTRIBUTE && VERSION_ATTRIBUTES.containsKey(c.key())) {
                Predicate<String> test = SearchFilter.textTest(c, c.key());
                Function<VersionEntry, String> value = VERSION_ATTRIBUTES.get(c.key());
                all = all.and(e -> test.test(value.apply(e)));
            } else {
                throw new InvalidInput("filter", "Invalid attribute key '" + Text.quote(c.key()) + "' specified."
                        + " Valid keys are name, run_id, source_path and tags.<key>");
            }
        }
        return all;
    }

    static Comparator<ModelEntry> modelOrder(List<String> orderBy) {
        return order(orderBy, MODEL_ORDER, Comparator.comparing(e -> e.model().name));
    }

    static Comparator<VersionEntry> versionOrder(List<String> orderBy) {
        return order(orderBy, VERSION_ORDER, Comparator.comparing(VersionEntry::modelName)
                .thenComparing(Comparator.comparing((VersionEntry e) -> e.version().version).reversed()));
    }

    private static <T> Comparator<T> order(List<String> orderBy, Map<String, Function<T, Comparable>> keys,
                                           Comparator<T> tieBreak) {
        Comparator<T> order = null;
        for (String clause : orderBy) {
            SearchFilter.Order by = SearchFilter.order(clause);
            Function<T, Comparable> key = keys.get(by.key());
            if (by.entity() != SearchFilter.Entity.ATTRIBUTE || key == null) {
                throw new InvalidInput("order_by", "Invalid order by key '" + Text.quote(clause) + "' specified."
                        + " Valid keys are " + String.join(", ", keys.keySet().stream().sorted().toList()));
            }
            Comparator<T> next = Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder()));
            next = by.ascending() ? next : next.reversed();
            order = order == null ? next : order.thenComparing(next);
        }
        return order == null ? tieBreak : order.thenComparing(tieBreak);
    }
}
