package dev.mlops.tracking.service;

/** An upload (an artifact, a dataset) over its size limit; nothing was stored. Answered 413. */
public class UploadTooLarge extends RuntimeException {
    public UploadTooLarge(String message) {
        super(message);
    }
}
