package dev.mlops.runtime.stage;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactStoreException;

import java.net.URI;
import java.util.TreeSet;

/**
 * Reads the artifacts a stage's input event names. What trying again cannot change fails the run (a name the event
 * does not carry, an object the store does not have); an unreachable or failing store ({@link StageRetry}: an
 * {@code IOException} or an S3 server error under it) is a {@link TransientFailure}, tried again.
 */
public final class InputArtifacts {

    private InputArtifacts() {
    }

    /** The URI of artifact {@code name}; a StageFailure naming what the event carries when it has none. */
    public static URI uri(StageEvent input, String name, String neededFor) {
        String uri = input.artifacts().get(name);
        if (uri == null) {
            throw new StageFailure("the input event carries no artifact '" + name + "' (has: "
                    + new TreeSet<>(input.artifacts().keySet()) + "): " + neededFor + " needs it");
        }
        return URI.create(uri);
    }

    public static byte[] read(ArtifactStore store, StageEvent input, String name, String neededFor) {
        URI uri = uri(input, name, neededFor);
        try {
            return store.read(uri);
        } catch (ArtifactStoreException e) {
            throw failure(name, uri, e);
        }
    }

    /**
     * A failed read of artifact {@code name} (for a caller that streams it itself): transient when the store may answer
     * later, else the run fails.
     */
    public static RuntimeException failure(String name, URI uri, Exception cause) {
        String message = "could not read " + name + " from " + uri + ": " + cause.getMessage();
        return StageRetry.isTransient(cause) ? new TransientFailure(message, cause) : new StageFailure(message, cause);
    }
}
