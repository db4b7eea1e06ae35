package dev.mlops.image.service;

import java.util.Locale;

/** Image repository names and tags derived from model names and run ids, within the registry's character rules. */
public final class ImageNames {

    public static final int RUN_TAG_LENGTH = 8;

    private ImageNames() {
    }

    /** A model name as one repository path component: lower case, {@code [a-z0-9]} separated by {@code . _ -}. */
    public static String repositoryName(String modelName) {
        String name = modelName == null ? "" : modelName.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]+", "-")
                .replaceAll("[._-]{2,}", "-")
                .replaceAll("^[._-]+|[._-]+$", "");
        return name.isEmpty() ? "model" : name;
    }

    /** The run's tag: the first 8 characters of its id. */
    public static String runTag(String runId) {
        String tag = runId.replaceAll("[^A-Za-z0-9_.-]", "");
        tag = tag.substring(0, Math.min(RUN_TAG_LENGTH, tag.length()));
        return tag.isEmpty() || tag.startsWith(".") || tag.startsWith("-") ? "run-" + tag : tag;
    }

    /** Loopback registries ({@code 127.x}, {@code localhost}, {@code [::1]}) may speak plain HTTP. */
    public static boolean isLoopback(String hostAndPort) {
        String host = hostAndPort.startsWith("[") ? hostAndPort.substring(1, Math.max(1, hostAndPort.indexOf(']')))
                : hostAndPort.replaceFirst(":\\d+$", "");
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
