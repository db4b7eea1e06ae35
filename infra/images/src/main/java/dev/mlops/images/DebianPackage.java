package dev.mlops.images;

import java.net.URI;

/**
 * One binary package as a suite's {@code Packages} index lists it.
 *
 * @param mirror   the archive root it is served from ({@code https://deb.debian.org/debian})
 * @param filename the pool path below the mirror ({@code pool/main/o/openjdk-17/...deb})
 */
public record DebianPackage(String name, DebianVersion version, String filename, String sha256, long size,
                            String mirror) {

    public URI uri() {
        return URI.create(mirror + "/" + filename);
    }

    /** {@code name=version}, as the labels and the cache key spell it. */
    public String pin() {
        return name + "=" + version;
    }
}
