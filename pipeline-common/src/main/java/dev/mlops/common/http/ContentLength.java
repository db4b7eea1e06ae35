package dev.mlops.common.http;

/** The body length an HTTP request declares, for size limits enforced before the body is read. */
public final class ContentLength {

    private ContentLength() {
    }

    /** The Content-Length header's value; -1 when there is none (chunked, or no body) or it is not a number. */
    public static long parse(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
