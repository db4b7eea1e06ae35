package dev.mlops.image.service;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.mlops.images.ImageTarball;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** Builds an image with jib-core (no Docker daemon): a base plus one layer of files, to a registry or a tarball. */
public class JibImageBuilder {

    private static final Logger LOG = Logger.getLogger(JibImageBuilder.class);

    /** Registry user and password, applied to the destination registry and to a base image on the same registry. */
    public record Credentials(String username, String password) {
    }

    private final Path cacheDir;
    private final boolean allowInsecureRegistries;
    private final Optional<Credentials> credentials;
    private final RegistryManifests manifests;

    public JibImageBuilder(Path cacheDir, boolean allowInsecureRegistries, Optional<Credentials> credentials) {
        this.cacheDir = cacheDir;
        this.allowInsecureRegistries = allowInsecureRegistries;
        this.credentials = credentials;
        this.manifests = new RegistryManifests(allowInsecureRegistries, credentials);
    }

    /**
     * @param files        container path (absolute) -> local file, all in one layer named {@code layerName}
     */
    public BuiltImage build(BaseImage base, String layerName, Map<String, Path> files, Map<String, String> environment,
                            Map<String, String> labels, ImageDestination destination) throws ImageBuildException {
        try {
            base.checkAvailable();
            FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(layerName);
            files.forEach((containerPath, local) -> layer.addEntry(local, AbsoluteUnixPath.get(containerPath)));
            JibContainerBuilder builder = from(base, destination).addFileEntriesLayer(layer.build());
            environment.forEach(builder::addEnvironmentVariable);
            labels.forEach(builder::addLabel);

            Containerizer containerizer = containerizer(destination);
            JibContainer container = builder.containerize(containerizer);
            String digest = container.getDigest().toString();
            List<BuiltImage.Layer> layers = destination.pushes()
                    ? pushedLayers(destination.reference(), digest)
                    : ImageTarball.read(destination.tarball()).layers().stream()
                            .map(stored -> new BuiltImage.Layer(stored.digest(), stored.compressed())).toList();
            return new BuiltImage(destination.reference(), destination.allReferences(), digest,
                    container.getImageId().toString(), destination.pushes(), layers);
        } catch (InvalidImageReferenceException e) {
            throw new ImageBuildException("invalid image reference: " + e.getMessage(), e);
        } catch (RegistryException e) {
            throw new ImageBuildException("the registry refused: " + e.getMessage(), e, unreachable(e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ImageBuildException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause,
                    unreachable(cause));
        } catch (CacheDirectoryCreationException e) {
            throw new ImageBuildException("could not create Jib's cache under " + cacheDir + ": " + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new ImageBuildException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while building " + destination.reference(), e);
        }
    }

    /** The pushed manifest's layers; a registry that will not show them (token auth) only costs the layer details. */
    private List<BuiltImage.Layer> pushedLayers(String reference, String digest) throws InterruptedException {
        try {
            return manifests.layers(reference, digest);
        } catch (IOException e) {
            LOG.warnf("pushed %s (%s) but could not read its manifest back for the layer digests: %s", reference,
                    digest, e.getMessage());
            return List.of();
        }
    }

    private JibContainerBuilder from(BaseImage base, ImageDestination destination) throws InvalidImageReferenceException {
        return switch (base.kind()) {
            case SCRATCH -> Jib.fromScratch();
            case TARBALL -> Jib.from(TarImage.at(base.tarball()));
            case REGISTRY -> {
                RegistryImage image = RegistryImage.named(base.reference());
                if (destination.pushes() && sameRegistry(base.reference(), destination.reference())) {
                    credentials.ifPresent(c -> image.addCredential(c.username(), c.password()));
                }
                yield Jib.from(image);
            }
        };
    }

    private Containerizer containerizer(ImageDestination destination) throws InvalidImageReferenceException {
        Containerizer containerizer;
        if (destination.pushes()) {
            RegistryImage target = RegistryImage.named(destination.reference());
            credentials.ifPresent(c -> target.addCredential(c.username(), c.password()));
            containerizer = Containerizer.to(target);
        } else {
            containerizer = Containerizer.to(TarImage.at(destination.tarball()).named(destination.reference()));
        }
        for (String tag : destination.additionalTags()) {
            containerizer.withAdditionalTag(tag);
        }
        return containerizer
                .setAllowInsecureRegistries(allowInsecureRegistries)
                .setBaseImageLayersCache(cacheDir.resolve("base"))
                .setApplicationLayersCache(cacheDir.resolve("application"))
                .setToolName("mlops-image-svc")
                .addEventHandler(LogEvent.class, JibImageBuilder::log);
    }

    /** A registry that did not answer (refused, unknown host, timed out), as opposed to one that answered no. */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.net.NoRouteToHostException
                    || t.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameRegistry(String a, String b) {
        return a.substring(0, Math.max(0, a.indexOf('/'))).equals(b.substring(0, Math.max(0, b.indexOf('/'))));
    }

    private static void log(LogEvent event) {
        switch (event.getLevel()) {
            case ERROR -> LOG.warnf("jib: %s", event.getMessage());
            // e.g. "Cannot verify server at https://127.0.0.1:5000/v2/ ... Attempting again with HTTP": expected on loopback
            case WARN -> LOG.infof("jib: %s", event.getMessage());
            default -> LOG.debugf("jib: %s", event.getMessage());
        }
    }
}
