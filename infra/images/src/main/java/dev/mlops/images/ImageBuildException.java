package dev.mlops.images;

/** An image could not be built; the message says what failed and what to do about it. */
public class ImageBuildException extends Exception {

    public ImageBuildException(String message) {
        super(message);
    }

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
