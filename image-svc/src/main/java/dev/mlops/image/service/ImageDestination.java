package dev.mlops.image.service;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a built image goes: pushed to a registry as {@code reference} plus {@code additionalTags}, or written as a
 * docker-load tarball at {@code tarball} (then {@code reference} has no registry part).
 */
public record ImageDestination(String reference, List<String> additionalTags, Path tarball) {

    public ImageDestination {
        additionalTags = List.copyOf(additionalTags);
    }

    public boolean pushes() {
        return tarball == null;
    }

    /** Every full reference the image is known by: {@code repo:tag} for the main tag and each additional one. */
    public List<String> allReferences() {
        String repository = reference.substring(0, reference.lastIndexOf(':'));
        List<String> all = new java.util.ArrayList<>();
        all.add(reference);
        additionalTags.forEach(tag -> all.add(repository + ":" + tag));
        return all;
    }
}
