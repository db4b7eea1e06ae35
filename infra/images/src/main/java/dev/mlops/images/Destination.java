package dev.mlops.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an image goes: pushed to a registry ({@code host:port}; plain HTTP allowed on loopback only) as
 * {@code <registry>/<name>:<tag>} plus {@code latest}, or written as a docker-load tarball.
 */
record Destination(Optional<String> registry, Path tarball, String name, String tag) {

    static Destination of(Optional<String> registry, Path tarballFolder, String module, String name, String tag) {
        return registry.isPresent()
                ? new Destination(registry, null, name, tag)
                : new Destination(registry, tarballFolder.resolve(module + ".tar").toAbsolutePath(), name, tag);
    }

    boolean pushes() {
        return registry.isPresent();
    }

    /** {@code <registry>/<name>:<tag>}, or {@code <name>:<tag>} as the tarball's repo tag. */
    String imageReference() {
        return registry.map(r -> r + "/").orElse("") + name + ":" + tag;
    }

    /** What a caller passes on: the pushed reference, or {@code tar:<path>}. */
    String location() {
        return pushes() ? imageReference() : "tar:" + tarball;
    }

    Containerizer containerizer() throws InvalidImageReferenceException {
        Containerizer containerizer = pushes()
                ? Containerizer.to(RegistryImage.named(imageReference()))
                : Containerizer.to(TarImage.at(tarball).named(imageReference()));
        if (!tag.equals("latest")) {
            containerizer.withAdditionalTag("latest");
        }
        return containerizer.setAllowInsecureRegistries(registry.map(Destination::isLoopback).orElse(false));
    }

    static boolean isLoopback(String registry) {
        String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']'))
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
