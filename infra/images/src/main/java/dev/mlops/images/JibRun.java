package dev.mlops.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/** Runs a Jib build with this module's caches and turns its failures into messages that say what went wrong. */
final class JibRun {

    private JibRun() {
    }

    static JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer, Path cacheDir, String what)
            throws ImageBuildException {
        try {
            return builder.containerize(containerizer
                    .setBaseImageLayersCache(cacheDir.resolve("jib/base"))
                    .setApplicationLayersCache(cacheDir.resolve("jib/application"))
                    .setToolName("mlops-images"));
        } catch (RegistryException e) {
            throw new ImageBuildException(what + ": the registry refused: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ImageBuildException(what + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    + (cause instanceof IOException ? " (is the registry running and reachable?)" : ""), cause);
        } catch (CacheDirectoryCreationException e) {
            throw new ImageBuildException(what + ": could not create Jib's cache under " + cacheDir + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImageBuildException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while building " + what, e);
        }
    }

    static ImageBuildException invalidReference(String reference, InvalidImageReferenceException e) {
        return new ImageBuildException("invalid image reference " + reference + ": " + e.getMessage(), e);
    }
}
