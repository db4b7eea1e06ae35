package dev.mlops.common.text;

/**
 * Rules for text that comes from users or from the wire. Control characters (NUL, newlines, escape sequences:
 * Unicode category Cc) are refused in names and values, since PostgreSQL cannot store NUL and a newline in a
 * logged value forges log lines; what is logged or echoed is escaped and truncated.
 */
public final class Text {

    /** The longest string a log line or an error message quotes. */
    public static final int QUOTE_LIMIT = 200;

    private Text() {
    }

    /** The index of the first control character in {@code value}, or -1 when there is none (or value is null). */
    public static int firstControlCharacter(String value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    public static boolean hasControlCharacters(String value) {
        return firstControlCharacter(value) >= 0;
    }

    /** Why {@code value} is refused, e.g. "contains a control character (U+0000) at position 3", or null. */
    public static String controlCharacterProblem(String value) {
        int at = firstControlCharacter(value);
        return at < 0 ? null : String.format("contains a control character (U+%04X) at position %d",
                (int) value.charAt(at), at);
    }

    /** {@code value} safe to put in a log line or an error: control characters escaped, at most {@link #QUOTE_LIMIT} chars. */
    public static String quote(String value) {
        return quote(value, QUOTE_LIMIT);
    }

    public static String quote(String value, int limit) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), limit) + 16);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= limit) {
                return out.append("…(").append(value.length()).append(" chars)").toString();
            }
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
