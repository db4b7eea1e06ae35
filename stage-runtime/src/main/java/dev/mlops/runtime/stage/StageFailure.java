package dev.mlops.runtime.stage;

/** A stage cannot do its work with this input (bad data, unreachable dataset): the message is for the user. */
public class StageFailure extends RuntimeException {
    public StageFailure(String message) {
        super(message);
    }

    public StageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
