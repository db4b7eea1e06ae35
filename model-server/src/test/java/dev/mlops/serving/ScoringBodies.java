package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Hostile and odd scoring bodies for property-based tests, bounded in size: JSON-ish text (scoring requests in every
 * format with odd values, then cut, spliced or garbled; random text; nesting far past any limit) and CSV-ish text.
 * Each generator takes the test's {@link Random}, so a fixed seed gives the same bodies again.
 */
public final class ScoringBodies {

    static final List<String> COLUMNS = List.of("Pclass", "Sex", "Age", "Fare", "Siblings/Spouses Aboard",
            "Parents/Children Aboard", "Name", "num__Age", "num__Fare", "cat__Sex_male", "", " Age", "age", "\u0000");
    static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs",
            "records", "data");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "text/csv", "text/csv; charset=latin1", "APPLICATION/JSON", "text/plain", "application/x-www-form-urlencoded",
            "garbage", ";", "");
    private static final List<String> ODD_VALUES = List.of("0", "-1", "22", "7.25", "1e309", "-1e309", "1e-400", "null",
            "true", "false", "3", "\"male\"", "\"NaN\"", "\"\"", "\"3\"", "1".repeat(1200), "12345678901234567890123",
            "[]", "{}");
    private static final List<String> ODD_CELLS = List.of("3", "male", "female", "22", "7.25", "", "NaN", "-1e309",
            "\"quoted, with comma\"", "\"unclosed", "\"a\"\"b\"", "\u0000", "\r", "\n", "\uFEFF");
    private static final String JSON_CHARS = "[]{}\",:0123456789.-eE truefalsn\\u";

    private ScoringBodies() {
    }

    /** JSON-ish bodies, at most a few hundred KB. */
    public static String jsonish(Random random) {
        return choose(random,
                new Choice(5, () -> request(random)),
                new Choice(3, () -> garbled(random, request(random))),
                new Choice(1, () -> anyText(random, 300)),
                new Choice(1, () -> text(random, JSON_CHARS, 300)),
                new Choice(1, () -> deeplyNested(random)));
    }

    /** CSV-ish bodies: a header (known and odd column names) and rows of odd cells, sometimes garbled. */
    public static String csvish(Random random) {
        return choose(random,
                new Choice(6, () -> csv(random)),
                new Choice(2, () -> garbled(random, csv(random))),
                new Choice(1, () -> anyText(random, 300)));
    }

    /** A content type the server may or may not take. */
    public static String contentType(Random random) {
        return oneOf(random, CONTENT_TYPES);
    }

    /** {@code {"<format>": [[[[...]]]]}} (or objects) nested 64 to 20,000 levels (past the parser's 64), closed or not. */
    static String deeplyNested(Random random) {
        String format = oneOf(random, FORMATS);
        int depth = 64 + random.nextInt(20_000 - 64 + 1);
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        String closing = random.nextBoolean() ? close.repeat(depth) : "";
        return "{\"" + format + "\": " + open.repeat(depth) + "1" + closing + "}";
    }

    private static String csv(Random random) {
        String header = String.join(",", mostlyShortListOf(random, 10, () -> oneOf(random, COLUMNS)));
        String eol = oneOf(random, List.of("\n", "\r\n", "\r"));
        List<String> rows = mostlyShortListOf(random, 30,
                () -> String.join(",", mostlyShortListOf(random, 10, () -> cell(random))));
        return header + eol + String.join(eol, rows);
    }

    private static String cell(Random random) {
        return random.nextBoolean() ? oneOf(random, ODD_CELLS) : anyText(random, 20);
    }

    /** A scoring request in 0 to 2 of the formats, all carrying the same payload of any shape. */
    private static String request(Random random) {
        String payload = switch (random.nextInt(6)) {
            case 0 -> rows(random);
            case 1 -> array(listOf(random, 8, () -> record(random)));
            case 2 -> "{\"columns\": " + array(listOf(random, 10, () -> string(oneOf(random, COLUMNS))))
                    + ", \"data\": " + rows(random) + "}";
            case 3 -> "{" + String.join(", ", listOf(random, 8, () -> string(oneOf(random, COLUMNS)) + ": "
                    + array(listOf(random, 5, () -> value(random, 3))))) + "}";
            case 4 -> record(random);
            default -> value(random, 3);
        };
        List<String> formats = listOf(random, 2, () -> oneOf(random, FORMATS));
        return "{" + String.join(", ", formats.stream().map(f -> string(f) + ": " + payload).toList()) + "}";
    }

    private static String rows(Random random) {
        return array(listOf(random, 8, () -> array(listOf(random, 10, () -> value(random, 3)))));
    }

    private static String record(Random random) {
        return "{" + String.join(", ", listOf(random, 10, () -> string(oneOf(random, COLUMNS)) + ": "
                + value(random, 3))) + "}";
    }

    /** An odd value, a finite double, a string of any characters, or (up to {@code depth} levels) an array of them. */
    private static String value(Random random, int depth) {
        if (depth > 0 && random.nextInt(4) == 0) {
            return array(listOf(random, 3, () -> value(random, depth - 1)));
        }
        return switch (random.nextInt(3)) {
            case 0 -> oneOf(random, ODD_VALUES);
            case 1 -> String.valueOf(finiteDouble(random));
            default -> string(anyText(random, 30));
        };
    }

    private static double finiteDouble(Random random) {
        if (random.nextBoolean()) {
            return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20));
        }
        double any;
        do {
            any = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(any));
        return any;
    }

    /** The text cut short, with a random character spliced in, or with a piece repeated. */
    private static String garbled(Random random, String text) {
        int i = random.nextInt(text.length() + 1);
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, i);
            case 1 -> text.substring(0, i) + (char) random.nextInt(Character.MAX_VALUE + 1) + text.substring(i);
            default -> {
                int j = random.nextInt(text.length() + 1);
                int from = Math.min(i, j);
                int to = Math.max(i, j);
                yield text.substring(0, from) + text.substring(from, to).repeat(3) + text.substring(to);
            }
        };
    }

    /** Up to {@code maxLength} characters: control characters, ASCII and anything else in the BMP. */
    private static String anyText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append((char) switch (random.nextInt(8)) {
                case 0 -> random.nextInt(0x20);
                case 1, 2, 3 -> 0x20 + random.nextInt(0x5f);
                default -> random.nextInt(Character.MAX_VALUE + 1);
            });
        }
        return text.toString();
    }

    private static String text(Random random, String chars, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }

    /** One way of making a body, taken {@code weight} times as often as a way of weight 1. */
    private record Choice(int weight, Supplier<String> body) {
    }

    private static String choose(Random random, Choice... choices) {
        int pick = random.nextInt(Arrays.stream(choices).mapToInt(Choice::weight).sum());
        for (Choice choice : choices) {
            pick -= choice.weight();
            if (pick < 0) {
                return choice.body().get();
            }
        }
        throw new IllegalStateException("no choice");
    }

    private static <T> T oneOf(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<String> listOf(Random random, int maxSize, Supplier<String> element) {
        return listOfSize(random.nextInt(maxSize + 1), element);
    }

    /**
     * 0 to {@code maxSize} elements, short lists more often than long ones: a long CSV almost surely has a NUL cell,
     * which makes it "binary", so only short ones reach the rest of the parser.
     */
    private static List<String> mostlyShortListOf(Random random, int maxSize, Supplier<String> element) {
        return listOfSize(random.nextInt(random.nextInt(maxSize + 1) + 1), element);
    }

    private static List<String> listOfSize(int size, Supplier<String> element) {
        List<String> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
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
}
