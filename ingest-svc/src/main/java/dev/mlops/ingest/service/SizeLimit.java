package dev.mlops.ingest.service;

import dev.mlops.common.io.BoundedRead;
import dev.mlops.runtime.stage.StageFailure;

import java.io.IOException;
import java.io.InputStream;

/** mlops.ingest.max-dataset-bytes, applied to what is actually read: a stream is never read past the limit. */
record SizeLimit(long maxBytes) {

    SizeLimit {
        if (maxBytes <= 0 || maxBytes > BoundedRead.MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("mlops.ingest.max-dataset-bytes must be between 1 and "
                    + BoundedRead.MAX_ARRAY_BYTES + ", got " + maxBytes);
        }
    }

    /**
     * All of {@code in}, read into one array of its announced length ({@code knownLength}; -1 when not announced) and
     * never more than one byte past the limit; over it, a StageFailure naming the setting.
     */
    byte[] read(InputStream in, long knownLength, Object source) throws IOException {
        try {
            return BoundedRead.readAll(in, knownLength, maxBytes);
        } catch (BoundedRead.OverLimitException e) {
            throw tooLarge(source);
        }
    }

    StageFailure tooLarge(Object source) {
        return new StageFailure("dataset " + source + " is larger than the limit of " + maxBytes
                + " bytes (mlops.ingest.max-dataset-bytes)");
    }
}
