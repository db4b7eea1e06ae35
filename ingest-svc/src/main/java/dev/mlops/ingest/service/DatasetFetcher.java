package dev.mlops.ingest.service;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.ingest.config.IngestConfig;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a dataset's bytes from an http(s) URL, a file: URI or an s3:// URI, up to the configured size. */
@ApplicationScoped
public class DatasetFetcher {

    private final ArtifactStore store;
    private final IngestConfig config;
    private final HttpClient http;

    public DatasetFetcher(ArtifactStore store, IngestConfig config) {
        this.store = store;
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.httpTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public byte[] fetch(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        return switch (scheme) {
            case "http", "https" -> fetchHttp(uri);
            case "file" -> fetchFile(uri);
            case "s3" -> fetchS3(uri);
            default -> throw new StageFailure("dataset URI scheme '" + scheme + "' is not supported: use http(s), file or s3");
        };
    }

    private byte[] fetchHttp(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.httpTimeout()).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new StageFailure("dataset URL " + uri + " answered HTTP " + response.statusCode());
                }
                return readLimited(body, uri);
            }
        } catch (IOException e) {
            throw new StageFailure("could not download dataset " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("interrupted while downloading " + uri, e);
        }
    }

    private byte[] fetchFile(URI uri) {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new StageFailure("dataset URI " + uri + " is not a valid file: URI (use file:/absolute/path)", e);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return readLimited(in, uri);
        } catch (NoSuchFileException e) {
            throw new StageFailure("dataset file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new StageFailure("could not read dataset file " + path + ": " + e.getMessage(), e);
        }
    }

    private byte[] fetchS3(URI uri) {
        try (InputStream in = store.open(uri)) {
            return readLimited(in, uri);
        } catch (IOException | RuntimeException e) {
            if (e instanceof StageFailure failure) {
                throw failure;
            }
            throw new StageFailure("could not read dataset " + uri + ": " + e.getMessage(), e);
        }
    }

    private byte[] readLimited(InputStream in, URI uri) throws IOException {
        byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxDatasetBytes() + 1));
        if (content.length > config.maxDatasetBytes()) {
            throw new StageFailure("dataset " + uri + " is larger than the limit of " + config.maxDatasetBytes()
                    + " bytes (mlops.ingest.max-dataset-bytes)");
        }
        return content;
    }
}
