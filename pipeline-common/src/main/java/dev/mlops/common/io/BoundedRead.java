package dev.mlops.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a whole stream into one array, never past a limit. When the stream's length is announced (S3's and HTTP's
 * Content-Length, a file's size) the content goes straight into one array of that length: {@code readAllBytes} and
 * {@code readNBytes(n)} gather chunks and then copy them, twice the content in the heap at once, which a 512 MiB heap
 * cannot hold for a 184 MB dataset. An announced length is not trusted: a shorter stream gives what it has, a longer
 * one is read on to the limit.
 */
public final class BoundedRead {

    /** The largest array the JVM allocates. */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;

    private BoundedRead() {
    }

    /** The content is over the limit; at most one byte past it was read. */
    public static final class OverLimitException extends IOException {
        OverLimitException(long maxBytes) {
            super("more than " + maxBytes + " bytes");
        }
    }

    /**
     * All of {@code in}, {@code knownLength} its announced length or -1.
     *
     * @throws OverLimitException when the announced length or the content is over {@code maxBytes}
     */
    public static byte[] readAll(InputStream in, long knownLength, long maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("a read limit must be between 0 and " + MAX_ARRAY_BYTES + ", got "
                    + maxBytes);
        }
        if (knownLength > maxBytes) {
            throw new OverLimitException(maxBytes);
        }
        if (knownLength < 0) {
            byte[] content = in.readNBytes((int) maxBytes + 1);
            if (content.length > maxBytes) {
                throw new OverLimitException(maxBytes);
            }
            return content;
        }
        byte[] content = new byte[(int) knownLength];
        int read = in.readNBytes(content, 0, content.length);
        if (read < content.length) {
            return Arrays.copyOf(content, read);
        }
        byte[] more = in.readNBytes((int) (maxBytes - read) + 1);
        if (more.length == 0) {
            return content;
        }
        if (read + (long) more.length > maxBytes) {
            throw new OverLimitException(maxBytes);
        }
        byte[] all = Arrays.copyOf(content, read + more.length);
        System.arraycopy(more, 0, all, read, more.length);
        return all;
    }
}
