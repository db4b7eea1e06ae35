package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's search filter language (search_utils): comparisons joined by AND, each an identifier
 * ({@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>}, {@code attributes.<name>} or a bare name, keys
 * backquoted or double-quoted when they hold spaces), an operator (= != > >= < <= LIKE ILIKE IN) and a value (a
 * quoted string, a number, or for IN a parenthesised list of strings); and order_by clauses, an identifier then ASC
 * or DESC. Errors name the position.
 */
final class SearchFilter {

    /** An identifier's kind: what comes before its first dot, normalised (bare names are attributes). */
    enum Entity { METRIC, PARAM, TAG, ATTRIBUTE }

    /** @param values Strings and Doubles, as written */
    record Comparison(Entity entity, String key, String operator, List<Object> values) {
    }

    /** An order_by clause: ascending unless it ends in DESC. */
    record Order(Entity entity, String key, boolean ascending) {
    }

    private static final Pattern IDENTIFIER = Pattern.compile(
            "(?:(?<prefix>[A-Za-z_]+)\\.)?(?:`(?<backquoted>[^`]+)`|\"(?<quoted>[^\"]+)\"|(?<plain>[\\w./:-]+))");
    private static final Pattern OPERATOR = Pattern.compile("(?i)(!=|>=|<=|=|>|<|ilike\\b|like\\b|in\\b)");
    private static final Pattern STRING = Pattern.compile("'(?<single>(?:[^'\\\\]|\\\\.)*)'|\"(?<double>(?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
    private static final Pattern AND = Pattern.compile("(?i)and\\b");
    private static final Pattern DIRECTION = Pattern.compile("(?i)(asc|desc)\\b");

    /** The request field parsed (filter or order_by), which errors name. */
    private final String field;
    private final String filter;
    private int position;

    private SearchFilter(String field, String filter) {
        this.field = field;
        this.filter = filter;
    }

    /** @param filter null or blank: no comparison */
    static List<Comparison> parse(String filter) {
        List<Comparison> comparisons = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return comparisons;
        }
        SearchFilter parser = new SearchFilter("filter", filter);
        while (true) {
            comparisons.add(parser.comparison());
            if (parser.atEnd()) {
                return comparisons;
            }
            parser.expect(AND, "AND");
        }
    }

    /** An order_by clause: an identifier as filters write it, then ASC (the default) or DESC. */
    static Order order(String clause) {
        SearchFilter parser = new SearchFilter("order_by", clause);
        Matcher identifier = parser.expect(IDENTIFIER, "an identifier such as metrics.accuracy");
        boolean ascending = !parser.lookingAt(DIRECTION)
                || !parser.expect(DIRECTION, "ASC or DESC").group().equalsIgnoreCase("desc");
        if (!parser.atEnd()) {
            throw parser.unexpected("the end of the clause after ASC or DESC");
        }
        return new Order(parser.entity(identifier), key(identifier), ascending);
    }

    /**
     * What a comparison of text asks, as SQL would: =, !=, LIKE (% any run of characters, _ one character), ILIKE
     * (case-insensitive LIKE), IN; a missing value (null) matches nothing. Other operators are refused naming
     * {@code what}, the kind of value compared.
     */
    static Predicate<String> textTest(Comparison comparison, String what) {
        List<String> expected = comparison.values().stream().map(v -> v instanceof String text ? text : null).toList();
        if (expected.contains(null)) {
            throw new InvalidInput("filter", what + " is compared with a quoted string, not a number");
        }
        Predicate<String> test = switch (comparison.operator()) {
            case "=" -> expected.get(0)::equals;
            case "!=" -> v -> !expected.get(0).equals(v);
            case "LIKE" -> like(expected.get(0), 0);
            case "ILIKE" -> like(expected.get(0), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            case "IN" -> expected::contains;
            default -> throw new InvalidInput("filter", "invalid comparator '" + comparison.operator() + "' for "
                    + what + ": expected =, !=, LIKE, ILIKE or IN");
        };
        return v -> v != null && test.test(v);
    }

    private static Predicate<String> like(String pattern, int flags) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        Pattern compiled = Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
        return v -> compiled.matcher(v).matches();
    }

    private Comparison comparison() {
        Matcher identifier = expect(IDENTIFIER, "an identifier such as metrics.accuracy, params.x, tags.x or run_name");
        String operator = expect(OPERATOR, "an operator (= != > >= < <= LIKE ILIKE IN)").group().toUpperCase(Locale.ROOT);
        List<Object> values = new ArrayList<>();
        if (operator.equals("IN")) {
            expect(Pattern.compile("\\("), "'(' opening the IN list");
            do {
                values.add(string(expect(STRING, "a quoted string")));
            } while (skip(Pattern.compile(",")));
            expect(Pattern.compile("\\)"), "')' closing the IN list");
        } else if (lookingAt(STRING)) {
            values.add(string(expect(STRING, "a value")));
        } else {
            values.add(Double.parseDouble(expect(NUMBER, "a quoted string or a number").group()));
        }
        return new Comparison(entity(identifier), key(identifier), operator, values);
    }

    private Entity entity(Matcher identifier) {
        String prefix = identifier.group("prefix");
        if (prefix == null) {
            return Entity.ATTRIBUTE;
        }
        return switch (prefix.toLowerCase(Locale.ROOT)) {
            case "metric", "metrics" -> Entity.METRIC;
            case "param", "params", "parameter", "parameters" -> Entity.PARAM;
            case "tag", "tags" -> Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
            default -> throw new InvalidInput(field, "invalid entity type '" + Text.quote(prefix)
                    + "': expected metrics, params, tags or attributes");
        };
    }

    private static String key(Matcher identifier) {
        for (String group : List.of("backquoted", "quoted", "plain")) {
            if (identifier.group(group) != null) {
                return identifier.group(group);
            }
        }
        throw new IllegalStateException("the identifier pattern always captures a key");
    }

    private static String string(Matcher string) {
        String raw = string.group("single") != null ? string.group("single") : string.group("double");
        return raw.replaceAll("\\\\(.)", "$1");
    }

    private Matcher expect(Pattern pattern, String expected) {
        skipSpaces();
        Matcher matcher = pattern.matcher(filter).region(position, filter.length());
        if (!matcher.lookingAt()) {
            throw unexpected(expected);
        }
        position = matcher.end();
        return matcher;
    }

    private InvalidInput unexpected(String expected) {
        return new InvalidInput(field, "invalid " + field + " at position " + position + ": expected " + expected
                + ", got '" + Text.quote(filter.substring(position), 40) + "'");
    }

    private boolean skip(Pattern pattern) {
        if (lookingAt(pattern)) {
            expect(pattern, "");
            return true;
        }
        return false;
    }

    private boolean lookingAt(Pattern pattern) {
        skipSpaces();
        return pattern.matcher(filter).region(position, filter.length()).lookingAt();
    }

    private boolean atEnd() {
        skipSpaces();
        return position == filter.length();
    }

    private void skipSpaces() {
        while (position < filter.length() && Character.isWhitespace(filter.charAt(position))) {
            position++;
        }
    }
}
