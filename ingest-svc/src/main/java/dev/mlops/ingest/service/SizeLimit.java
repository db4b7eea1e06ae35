package dev.mlops.ingest.service;

import dev.mlops.runtime.stage.StageFailure;

import java.io.IOException;
import java.io.InputStream;

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
        byte[] content = in.readNBytes((int) maxBytes + 1);
        if (content.length > maxBytes) {
            throw tooLarge(source);
        }
        return content;
    }

    StageFailure tooLarge(Object source) {
        return new StageFailure("dataset " + source + " is larger than the limit of " + maxBytes
                + " bytes (mlops.ingest.max-dataset-bytes)");
    }
}
