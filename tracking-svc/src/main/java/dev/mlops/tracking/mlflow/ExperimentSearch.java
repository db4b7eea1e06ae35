package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.ExperimentTag;
import dev.mlops.tracking.service.ExperimentService.Tagged;
import dev.mlops.tracking.service.InvalidInput;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * experiments/search's filter and order_by, as MLflow's search_utils reads them: comparisons of {@code name}
 * (or {@code attributes.name}) and {@code tags.<key>} (backquoted when it has spaces) with =, !=, LIKE, ILIKE
 * against a quoted string, joined by AND; order by name, experiment_id, creation_time or last_update_time.
 * Experiments are few, so they are matched in memory.
 */
final class ExperimentSearch {

    private static final Pattern COMPARISON = Pattern.compile(
            "\\s*(?<entity>(?:attributes?\\.)?name|tags?\\.(?:`[^`]+`|\"[^\"]+\"|[\\w./-]+))\\s*"
                    + "(?<op>!=|=|(?i:ilike|like))\\s*(?<value>'(?:[^']|'')*'|\"[^\"]*\")\\s*");
    private static final Pattern AND = Pattern.compile("(?i)and\\b");
    private static final Pattern ORDER = Pattern.compile(
            "\\s*(?:attributes?\\.)?(?<key>name|experiment_id|creation_time|last_update_time)\\s*(?<dir>(?i:asc|desc))?\\s*");

    private ExperimentSearch() {
    }

    /** @param filter null or blank: every experiment */
    static Predicate<Tagged> filter(String filter) {
        Predicate<Tagged> all = t -> true;
        if (filter == null || filter.isBlank()) {
            return all;
        }
        int position = 0;
        while (true) {
            Matcher comparison = COMPARISON.matcher(filter).region(position, filter.length());
            if (!comparison.lookingAt()) {
                throw new InvalidInput("filter", "invalid filter at position " + position + " ('"
                        + Text.quote(filter.substring(position), 40) + "'): expected name or tags.<key>, then"
                        + " =, !=, LIKE or ILIKE, then a quoted string");
            }
            all = all.and(comparison(comparison));
            position = comparison.end();
            if (position == filter.length()) {
                return all;
            }
            Matcher and = AND.matcher(filter).region(position, filter.length());
            if (!and.lookingAt()) {
                throw new InvalidInput("filter", "invalid filter at position " + position + ": expected AND");
            }
            position = and.end();
        }
    }

    /** MLflow's default order: newest first, then by id. */
    static Comparator<Tagged> order(List<String> orderBy) {
        Comparator<Tagged> order = null;
        for (String clause : orderBy) {
            Matcher matcher = ORDER.matcher(clause);
            if (!matcher.matches()) {
                throw new InvalidInput("order_by", "invalid order_by clause '" + Text.quote(clause)
                        + "': expected name, experiment_id, creation_time or last_update_time, then ASC or DESC");
            }
            Comparator<Tagged> next = key(matcher.group("key"));
            if ("desc".equalsIgnoreCase(matcher.group("dir"))) {
                next = next.reversed();
            }
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

    private static Predicate<Tagged> comparison(Matcher comparison) {
        String entity = comparison.group("entity");
        String op = comparison.group("op").toUpperCase(Locale.ROOT);
        String quoted = comparison.group("value");
        String expected = quoted.substring(1, quoted.length() - 1).replace("''", "'");
        Predicate<String> test = switch (op) {
            case "=" -> expected::equals;
            case "!=" -> v -> !expected.equals(v);
            case "LIKE" -> like(expected, 0);
            default -> like(expected, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        };
        if (!entity.startsWith("tag")) {
            return t -> test.test(t.experiment().name);
        }
        String tagKey = entity.substring(entity.indexOf('.') + 1).replaceAll("^[`\"]|[`\"]$", "");
        // a tag the experiment lacks matches no comparison, as in MLflow's SQL join
        return t -> t.tags().stream().filter((ExperimentTag tag) -> tag.key.equals(tagKey))
                .anyMatch(tag -> test.test(tag.value));
    }

    /** SQL LIKE: % any run of characters, _ one character. */
    private static Predicate<String> like(String pattern, int flags) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        Pattern compiled = Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
        return v -> v != null && compiled.matcher(v).matches();
    }

    static <T> List<T> page(List<T> sorted, int offset, int size) {
        return new ArrayList<>(sorted.subList(Math.min(offset, sorted.size()), Math.min(offset + size, sorted.size())));
    }
}
