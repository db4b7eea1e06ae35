package dev.mlops.tracking.mlflow;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offset paging with MLflow's token, base64 of {"offset": n, "search": digest}: the digest of what was searched
 * (experiments, filter, order ...) binds the token to its search, so a token of another one is refused rather than
 * quietly paging through something else.
 */
final class PageToken {

    private static final Pattern TOKEN = Pattern.compile(
            "\\{\"offset\": (?<offset>\\d{1,9}), \"search\": \"(?<search>[0-9a-f]{16})\"}");

    private PageToken() {
    }

    /** @param next the next page's token; null on the last page (the Java client loops on an empty one) */
    record Slice<T>(List<T> items, String next) {
    }

    /** The page of {@code matching} (filtered and sorted) that {@code token} asks for, {@code size} at most. */
    static <T> Slice<T> slice(List<T> matching, String token, int size, String search) {
        int offset = offset(token, search);
        return new Slice<>(page(matching, offset, size), next(offset, size, matching.size(), search));
    }

    /** The items of the page that starts at {@code offset}. */
    static <T> List<T> page(List<T> items, int offset, int size) {
        return items.subList(Math.min(offset, items.size()), (int) Math.min((long) offset + size, items.size()));
    }

    /** The token of the page after the one at {@code offset}; null when that was the last page. */
    static String next(int offset, int size, int total, String search) {
        return (long) offset + size < total ? of(offset + size, search) : null;
    }

    static String of(int offset, String search) {
        String json = "{\"offset\": " + offset + ", \"search\": \"" + digest(search) + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param token  null or empty: the first page
     * @param search what is searched, as given to {@link #of}
     */
    static int offset(String token, String search) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        Matcher matcher;
        try {
            matcher = TOKEN.matcher(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("page_token", "invalid page token '" + Text.quote(token) + "': not base64");
        }
        if (!matcher.matches()) {
            throw new InvalidInput("page_token", "invalid page token '" + Text.quote(token) + "'");
        }
        if (!matcher.group("search").equals(digest(search))) {
            throw new InvalidInput("page_token", "the page token belongs to another search (other experiments,"
                    + " runs, filter or order): search again without it");
        }
        return Integer.parseInt(matcher.group("offset"));
    }

    private static String digest(String search) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(search.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
