package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * Hostile and odd scoring bodies for property-based tests, bounded in size: JSON-ish text (scoring requests in every
 * format with odd values, then cut, spliced or garbled; random text; nesting far past any limit) and CSV-ish text.
 */
public final class ScoringBodies {

    static final List<String> COLUMNS = List.of("Pclass", "Sex", "Age", "Fare", "Siblings/Spouses Aboard",
            "Parents/Children Aboard", "Name", "num__Age", "num__Fare", "cat__Sex_male", "", " Age", "age", "\u0000");
    static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs",
            "records", "data");

    private ScoringBodies() {
    }

    /** JSON-ish bodies, at most a few hundred KB. */
    public static Arbitrary<String> jsonish() {
        return Arbitraries.frequencyOf(
                weighted(5, request()),
                weighted(3, request().flatMap(ScoringBodies::garbled)),
                weighted(1, Arbitraries.strings().ofMaxLength(300)),
                weighted(1, Arbitraries.strings().withChars("[]{}\",:0123456789.-eE truefalsn\\u").ofMaxLength(300)),
                weighted(1, deeplyNested()));
    }

    /** CSV-ish bodies: a header (known and odd column names) and rows of odd cells, sometimes garbled. */
    public static Arbitrary<String> csvish() {
        Arbitrary<String> cell = Arbitraries.oneOf(Arbitraries.of("3", "male", "female", "22", "7.25", "", "NaN", "-1e309",
                "\"quoted, with comma\"", "\"unclosed", "\"a\"\"b\"", "\u0000", "\r", "\n", "\uFEFF"), Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> header = Arbitraries.of(COLUMNS).list().ofMinSize(0).ofMaxSize(10).map(c -> String.join(",", c));
        Arbitrary<String> row = cell.list().ofMaxSize(10).map(c -> String.join(",", c));
        Arbitrary<String> csv = Combinators.combine(header, row.list().ofMaxSize(30), Arbitraries.of("\n", "\r\n", "\r"))
                .as((h, rows, eol) -> h + eol + String.join(eol, rows));
        return Arbitraries.frequencyOf(weighted(6, csv), weighted(2, csv.flatMap(ScoringBodies::garbled)),
                weighted(1, Arbitraries.strings().ofMaxLength(300)));
    }

    /** A content type the server may or may not take. */
    public static Arbitrary<String> contentType() {
        return Arbitraries.of("application/json", "application/json; charset=utf-8", "text/csv", "text/csv; charset=latin1",
                "APPLICATION/JSON", "text/plain", "application/x-www-form-urlencoded", "garbage", ";", "");
    }

    /** {@code {"<format>": [[[[...]]]]}} (or objects) nested 65 to 20,000 levels (past the parser's 64), closed or not. */
    static Arbitrary<String> deeplyNested() {
        return Combinators.combine(Arbitraries.of(FORMATS), Arbitraries.integers().between(64, 20_000),
                Arbitraries.of("[", "{\"a\":"), Arbitraries.of(true, false)).as((format, depth, open, closed) -> {
            String close = open.equals("[") ? "]" : "}";
            return "{\"" + format + "\": " + open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "") + "}";
        });
    }

    private static Arbitrary<String> request() {
        Arbitrary<String> rows = row().list().ofMaxSize(8).map(ScoringBodies::array);
        Arbitrary<String> records = record().list().ofMaxSize(8).map(ScoringBodies::array);
        Arbitrary<String> split = Combinators.combine(Arbitraries.of(COLUMNS).map(ScoringBodies::string).list().ofMaxSize(10),
                rows).as((columns, data) -> "{\"columns\": " + array(columns) + ", \"data\": " + data + "}");
        Arbitrary<String> columnar = Combinators.combine(Arbitraries.of(COLUMNS), value().list().ofMaxSize(5).map(ScoringBodies::array))
                .as((c, v) -> string(c) + ": " + v).list().ofMaxSize(8).map(fields -> "{" + String.join(", ", fields) + "}");
        Arbitrary<String> payload = Arbitraries.oneOf(rows, records, split, columnar, record(), value());
        return Combinators.combine(Arbitraries.of(FORMATS).list().ofMinSize(0).ofMaxSize(2), payload)
                .as((formats, body) -> "{" + String.join(", ", formats.stream().map(f -> string(f) + ": " + body).toList()) + "}");
    }

    private static Arbitrary<String> record() {
        return Combinators.combine(Arbitraries.of(COLUMNS), value()).as((c, v) -> string(c) + ": " + v)
                .list().ofMaxSize(10).map(fields -> "{" + String.join(", ", fields) + "}");
    }

    private static Arbitrary<String> row() {
        return value().list().ofMaxSize(10).map(ScoringBodies::array);
    }

    private static Arbitrary<String> value() {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.of("0", "-1", "22", "7.25", "1e309", "-1e309", "1e-400", "null", "true", "false", "3", "\"male\"",
                        "\"NaN\"", "\"\"", "\"3\"", "1".repeat(1200), "12345678901234567890123", "[]", "{}"),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
                Arbitraries.strings().ofMaxLength(30).map(ScoringBodies::string));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(leaf,
                inner.list().ofMaxSize(3).map(ScoringBodies::array)), 0, 3);
    }

    /** The text cut short, with a random character spliced in, or with a piece repeated. */
    private static Arbitrary<String> garbled(String text) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, text.length());
        return Arbitraries.oneOf(
                at.map(i -> text.substring(0, i)),
                Combinators.combine(at, Arbitraries.chars()).as((i, c) -> text.substring(0, i) + c + text.substring(i)),
                Combinators.combine(at, at).as((i, j) -> text.substring(0, Math.min(i, j)) + text.substring(Math.min(i, j),
                        Math.max(i, j)).repeat(3) + text.substring(Math.max(i, j))));
    }

    private static String array(List<String> values) {
        return "[" + String.join(", ", values) + "]";
    }

    private static String string(String value) {
        try {
            return ScoringRequests.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends String>> weighted(int weight, Arbitrary<String> arbitrary) {
        return net.jqwik.api.Tuple.of(weight, arbitrary);
    }
}
