package dev.mlops.image.service;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the serving image starts from, as {@code mlops.image.base} names it: {@code scratch}, {@code tar:/path/base.tar}
 * (a {@code docker save}/Jib tarball, read without a daemon) or a registry reference.
 */
public record BaseImage(Kind kind, String reference, Path tarball) {

    public enum Kind { SCRATCH, TARBALL, REGISTRY }

    public static final String TAR_PREFIX = "tar:";

    public static BaseImage parse(String spec) {
        String value = spec == null ? "" : spec.trim();
        if (value.isEmpty() || value.equals("scratch")) {
            return new BaseImage(Kind.SCRATCH, "scratch", null);
        }
        if (value.startsWith(TAR_PREFIX)) {
            String path = value.substring(TAR_PREFIX.length());
            while (path.startsWith("//")) {
                path = path.substring(1);
            }
            Path tarball = Path.of(path);
            if (!tarball.isAbsolute()) {
                throw new IllegalArgumentException("base image tarball must be an absolute path (tar:/path/base.tar), got '"
                        + spec + "'");
            }
            return new BaseImage(Kind.TARBALL, value, tarball);
        }
        return new BaseImage(Kind.REGISTRY, value, null);
    }

    /** Fails with the reason when the base cannot be used at all (a tarball that is not there). */
    public void checkAvailable() {
        if (kind == Kind.TARBALL && !Files.isRegularFile(tarball)) {
            throw new IllegalStateException("base image tarball " + tarball + " does not exist (mlops.image.base="
                    + reference + ")");
        }
    }

    /** Whether Jib's message says the base image is not there (no such tarball, repository, tag or manifest). */
    static boolean isMissingImage(String jibMessage) {
        String message = jibMessage == null ? "" : jibMessage.toLowerCase(java.util.Locale.ROOT);
        return message.contains("manifest_unknown") || message.contains("manifest unknown")
                || message.contains("name_unknown") || message.contains("does not exist")
                || message.contains("not found");
    }

    /** The registry host of a registry base, else null. */
    public String registryHost() {
        if (kind != Kind.REGISTRY) {
            return null;
        }
        int slash = reference.indexOf('/');
        String first = slash < 0 ? "" : reference.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "registry-1.docker.io";
    }

    @Override
    public String toString() {
        return reference;
    }
}
