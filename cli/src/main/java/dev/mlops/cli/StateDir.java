package dev.mlops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The local stack's state folder ({@code $MLOPS_STATE_DIR}, default {@code <repo>/.mlops}):
 * {@code data/} (kafka, postgres, s3, prometheus, registry: kept between restarts), {@code datasets/} (where ingest may read
 * {@code file:} datasets, owner only), {@code logs/}, {@code pids/} and the credentials.
 */
record StateDir(Path root) {

    Path data() {
        return root.resolve("data");
    }

    Path kafkaData() {
        return data().resolve("kafka");
    }

    Path postgresData() {
        return data().resolve("postgres");
    }

    Path s3Data() {
        return data().resolve("s3");
    }

    Path prometheusData() {
        return data().resolve("prometheus");
    }

    /** The image registry's storage: the images {@code up} and {@code images} pushed survive {@code down}. */
    Path registryData() {
        return data().resolve("registry");
    }

    /** The registry's config.yml. */
    Path registryConfig() {
        return root.resolve("registry");
    }

    /** podman's containers.conf and registries.conf, and the Docker Engine API socket {@code podman.sock}. */
    Path podman() {
        return root.resolve("podman");
    }

    Path podmanSocket() {
        return podman().resolve("podman.sock");
    }

    /** Image tarballs {@code ./mlops images} writes when no registry runs. */
    Path images() {
        return root.resolve("images");
    }

    /** Where {@code ./mlops observe} writes Prometheus' configuration and scrape targets. */
    Path prometheusConfig() {
        return root.resolve("prometheus");
    }

    /** The folder for your own file: datasets: one of ingest's two default file roots, next to the repository's data/. */
    Path datasets() {
        return root.resolve("datasets");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path log(String component) {
        return logs().resolve(component + ".log");
    }

    /**
     * deploy-svc's own folder (its mlops.deploy.local.state-dir: relative {@code deploy-state} for the process, which
     * runs in the state folder; this absolute path for its container).
     */
    Path deployState() {
        return root.resolve("deploy-state");
    }

    /**
     * deploy-svc's record of the model it serves on this machine: the model-server or container outlives deploy-svc,
     * {@code down} stops it.
     */
    Path servedModel() {
        return deployState().resolve("current.json");
    }

    /** The services' class-data archives ({@link ClassDataArchive}). */
    Path classData() {
        return root.resolve("cds");
    }

    Path pids() {
        return root.resolve("pids");
    }

    Path credentials() {
        return root.resolve("credentials.properties");
    }

    void create() {
        try {
            Files.createDirectories(data());
            Files.createDirectories(logs());
            Files.createDirectories(pids());
            if (!Files.isDirectory(datasets())) {
                Files.createDirectory(datasets(), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the state folder " + root, e);
        }
    }
}
