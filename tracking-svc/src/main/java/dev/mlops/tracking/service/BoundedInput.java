package dev.mlops.tracking.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails the read that goes past {@code maxBytes} (so a store aborts the upload), and says so afterwards. */
final class BoundedInput extends FilterInputStream {

    private final long maxBytes;
    private final String tooLarge;
    private long read;
    private boolean exceeded;

    BoundedInput(InputStream in, long maxBytes, String tooLarge) {
        super(in);
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        count(n);
        return n;
    }

    private void count(int n) throws IOException {
        if (n > 0) {
            read += n;
            if (read > maxBytes) {
                exceeded = true;
                throw new IOException(tooLarge);
            }
        }
    }
}
