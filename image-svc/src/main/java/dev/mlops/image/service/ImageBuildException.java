package dev.mlops.image.service;

/** Jib could not build or push the image; the message says why (registry refused, base missing, ...). */
public class ImageBuildException extends Exception {
    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
