package dev.mlops.ingest.service;

import dev.mlops.runtime.stage.StageFailure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** mlops.ingest.max-dataset-bytes, applied to what is actually read: a stream is never read past the limit. */
record SizeLimit(long maxBytes) {

    SizeLimit {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("mlops.ingest.max-dataset-bytes must be between 1 and "
                    + (Integer.MAX_VALUE - 16) + ", got " + maxBytes);
        }
    }

    /** Reads at most one byte more than the limit, and fails if that byte is there. */
    byte[] read(InputStream in, Object source) throws IOException {
        return read(in, -1, source);
    }

    /**
     * As {@link #read(InputStream, Object)}, for a stream whose length is announced ({@code knownLength}; -1 when
     * not): the content goes straight into one array of that length. {@code readNBytes(n)} gathers chunks and then
     * copies them, twice the dataset in the heap at once, which a 512 MiB heap cannot hold for a 184 MB file. An
     * announced length is not trusted: a shorter stream gives what it has, a longer one is read on to the limit.
     */
    byte[] read(InputStream in, long knownLength, Object source) throws IOException {
        if (knownLength > maxBytes) {
            throw tooLarge(source);
        }
        if (knownLength < 0) {
            byte[] content = in.readNBytes((int) maxBytes + 1);
            if (content.length > maxBytes) {
                throw tooLarge(source);
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
            throw tooLarge(source);
        }
        byte[] all = Arrays.copyOf(content, read + more.length);
        System.arraycopy(more, 0, all, read, more.length);
        return all;
    }

    StageFailure tooLarge(Object source) {
        return new StageFailure("dataset " + source + " is larger than the limit of " + maxBytes
                + " bytes (mlops.ingest.max-dataset-bytes)");
    }
}
