package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.repository.RunQuery;
import dev.mlops.tracking.repository.RunQuery.Column;
import dev.mlops.tracking.repository.RunQuery.Subject;
import dev.mlops.tracking.service.InvalidInput;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** runs/search's request read into a {@link RunQuery}: MLflow's filter language, order_by, view type and paging. */
final class RunSearch {

    private static final List<String> NUMERIC = List.of("=", "!=", ">", ">=", "<", "<=");
    private static final List<String> TEXT = List.of("=", "!=", "LIKE", "ILIKE", "IN");
    private static final Map<String, Column> ATTRIBUTES = Map.of(
            "run_id", Column.RUN_ID, "run_name", Column.RUN_NAME, "status", Column.STATUS, "user_id", Column.USER_ID,
            "start_time", Column.START_TIME, "end_time", Column.END_TIME);

    private RunSearch() {
    }

    static RunQuery query(MlflowRequest request) {
        List<Long> experimentIds = request.strings("experiment_ids").stream().map(RunSearch::experimentId).toList();
        if (experimentIds.isEmpty()) {
            throw new InvalidInput("experiment_ids", "experiment_ids is missing: name the experiments to search");
        }
        return new RunQuery(experimentIds, ExperimentsResource.lifecycleStages(request.string("run_view_type")),
                SearchFilter.parse(request.filter()).stream().map(RunSearch::condition).toList(),
                request.strings("order_by").stream().map(RunSearch::order).toList(),
                PageToken.offset(request.string("page_token"), search(request)),
                request.pageSize());
    }

    /** What a runs/search searches, which its page tokens are bound to. */
    static String search(MlflowRequest request) {
        return request.strings("experiment_ids") + "|" + request.filter() + "|" + request.strings("order_by")
                + "|" + ExperimentsResource.lifecycleStages(request.string("run_view_type"));
    }

    private static RunQuery.Condition condition(SearchFilter.Comparison c) {
        return switch (c.entity()) {
            case METRIC -> new RunQuery.Condition(Subject.METRIC, c.key(), allowed(c, NUMERIC, Double.class), c.values());
            case PARAM -> new RunQuery.Condition(Subject.PARAM, c.key(), allowed(c, TEXT, String.class), c.values());
            case TAG -> new RunQuery.Condition(Subject.TAG, c.key(), allowed(c, TEXT, String.class), c.values());
            case ATTRIBUTE -> attribute(c);
        };
    }

    private static RunQuery.Condition attribute(SearchFilter.Comparison c) {
        Column column = column("filter", c.key());
        return switch (column) {
            case START_TIME, END_TIME -> new RunQuery.Condition(Subject.COLUMN, column.name(),
                    allowed(c, NUMERIC, Double.class), c.values().stream().map(v -> (Object) ((Double) v).longValue()).toList());
            case STATUS -> new RunQuery.Condition(Subject.COLUMN, column.name(),
                    allowed(c, List.of("=", "!=", "IN"), String.class),
                    c.values().stream().map(v -> (Object) MlflowViews.status("filter", (String) v).name()).toList());
            default -> new RunQuery.Condition(Subject.COLUMN, column.name(), allowed(c, TEXT, String.class), c.values());
        };
    }

    private static RunQuery.Order order(String clause) {
        SearchFilter.Order order = SearchFilter.order(clause);
        return switch (order.entity()) {
            case METRIC -> new RunQuery.Order(Subject.METRIC, order.key(), order.ascending());
            case PARAM -> new RunQuery.Order(Subject.PARAM, order.key(), order.ascending());
            case TAG -> new RunQuery.Order(Subject.TAG, order.key(), order.ascending());
            case ATTRIBUTE -> new RunQuery.Order(Subject.COLUMN, column("order_by", order.key()).name(),
                    order.ascending());
        };
    }

    /** @param field the request field that names it (filter or order_by), for the error */
    private static Column column(String field, String attribute) {
        Column column = ATTRIBUTES.get(attribute.toLowerCase(Locale.ROOT));
        if (column == null) {
            throw new InvalidInput(field, "invalid attribute '" + Text.quote(attribute) + "': expected one of "
                    + String.join(", ", ATTRIBUTES.keySet().stream().sorted().toList()));
        }
        return column;
    }

    /** The comparison's operator, if {@code operators} has it and its values are of {@code type}. */
    private static String allowed(SearchFilter.Comparison c, List<String> operators, Class<?> type) {
        if (!operators.contains(c.operator())) {
            throw new InvalidInput("filter", "operator " + c.operator() + " does not apply to " + describe(c)
                    + ": use one of " + String.join(" ", operators));
        }
        if (!c.values().stream().allMatch(type::isInstance)) {
            throw new InvalidInput("filter", describe(c) + " is compared with " + (type == Double.class
                    ? "a number" : "a quoted string"));
        }
        return c.operator();
    }

    private static String describe(SearchFilter.Comparison c) {
        return c.entity().name().toLowerCase(Locale.ROOT) + " '" + Text.quote(c.key()) + "'";
    }

    private static long experimentId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidInput("experiment_ids", "invalid experiment id '" + Text.quote(id) + "'");
        }
    }
}
