package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MLflow's page token for offset paging: base64 of {"offset": n}. */
final class PageToken {

    private static final Pattern OFFSET = Pattern.compile("\\{\\s*\"offset\"\\s*:\\s*(\\d{1,9})\\s*}");

    private PageToken() {
    }

    static String of(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The items of the page that starts at {@code offset}. */
    static <T> List<T> page(List<T> items, int offset, int size) {
        return items.subList(Math.min(offset, items.size()), (int) Math.min((long) offset + size, items.size()));
    }

    /** The token of the page after the one at {@code offset}; null when that was the last page. */
    static String next(int offset, int size, int total) {
        return (long) offset + size < total ? of(offset + size) : null;
    }

    /** @param token null or empty: the first page */
    static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            Matcher matcher = OFFSET.matcher(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            if (matcher.matches()) {
                return Integer.parseInt(matcher.group(1));
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new InvalidInput("page_token", "invalid page token '" + Text.quote(token) + "'");
    }
}
