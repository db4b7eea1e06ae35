package dev.mlops.images;

/** A Debian mirror did not answer at all (no route, DNS, TLS, timeout): a cached base may still be used. */
public class MirrorUnreachableException extends ImageBuildException {

    public MirrorUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
