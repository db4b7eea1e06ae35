package dev.mlops.model.forest;

/** Why a forest could not be copied into a {@link CompiledForest}: its predictions then go through Smile's trees. */
public final class ForestNotCompiledException extends Exception {

    ForestNotCompiledException(String message) {
        super(message);
    }

    ForestNotCompiledException(String message, Throwable cause) {
        super(message, cause);
    }
}
