package dev.mlops.tracking.messaging;

/**
 * A record tracking could read but can never store (the database refuses it with a non-transient error). Its
 * message becomes the record's {@code dead-letter-reason} header on the dead-letter topic.
 */
public class UnrecordableRecord extends RuntimeException {

    public UnrecordableRecord(String message, Throwable cause) {
        super(message, cause);
    }
}
