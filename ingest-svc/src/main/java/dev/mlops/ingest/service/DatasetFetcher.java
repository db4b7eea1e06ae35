package dev.mlops.ingest.service;

import dev.mlops.ingest.config.IngestConfig;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reads a dataset's bytes from an http(s) URL, a file: URI or an s3:// URI, as the {@link DatasetUrlPolicy} allows
 * and up to mlops.ingest.max-dataset-bytes.
 */
@ApplicationScoped
public class DatasetFetcher {

    private final DatasetUrlPolicy policy;
    private final HttpDatasetDownload http;
    private final S3Dataset s3;
    private final SizeLimit limit;

    public DatasetFetcher(DatasetUrlPolicy policy, HttpDatasetDownload http, S3Dataset s3, IngestConfig config) {
        this.policy = policy;
        this.http = http;
        this.s3 = s3;
        this.limit = new SizeLimit(config.maxDatasetBytes());
    }

    public byte[] fetch(URI uri) {
        return switch (policy.scheme(uri)) {
            case "http", "https" -> http.fetch(uri);
            case "file" -> fetchFile(uri);
            case "s3" -> s3.fetch(uri);
            default -> throw new IllegalStateException("scheme allowed but not handled: " + uri);
        };
    }

    private byte[] fetchFile(URI uri) {
        Path path = policy.checkFile(uri);
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            return limit.read(in, Files.size(path), uri);
        } catch (IOException e) {
            throw new StageFailure("could not read dataset file " + path + ": " + e);
        }
    }
}
