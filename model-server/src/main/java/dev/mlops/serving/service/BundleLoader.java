package dev.mlops.serving.service;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.bundle.StoredBundle;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads a model bundle from where {@code mlops.model.uri} points: a folder ({@code file:/opt/model}, a plain path)
 * holding {@code model/model.bin} etc. as {@link ModelBundle#writeTo} writes them, or an S3 prefix such as
 * {@code s3://mlops-artifacts/runs/<runId>/model} holding the run's {@code model/} artifacts. Pointing at the
 * {@code model} folder itself works for both.
 */
public class BundleLoader implements AutoCloseable {

    private static final String MODEL_DIR = "model/";
    private static final Logger LOG = Logger.getLogger(BundleLoader.class);

    private final Supplier<ArtifactStore> artifactStore;
    private ArtifactStore store;

    /**
     * @param artifactStore opened at the first {@code s3://} URI and kept for the next loads (a warm server loads one
     *                      bundle per deploy: a new S3 client each time costs more than the read), closed by {@link #close}
     */
    public BundleLoader(Supplier<ArtifactStore> artifactStore) {
        this.artifactStore = artifactStore;
    }

    /** The bundle, or a {@link ModelLoadException} naming the URI and what is wrong with it. */
    public ModelBundle load(String uri) {
        if (uri == null || uri.isBlank()) {
            throw failure(uri, "mlops.model.uri is empty", null);
        }
        try {
            long start = System.nanoTime();
            Map<String, byte[]> files = uri.regionMatches(true, 0, "s3:", 0, 3) ? readS3(uri.trim()) : readFolder(folder(uri.trim()));
            long fetched = System.nanoTime();
            ModelBundle bundle = ModelBundle.fromFiles(files);
            LOG.infof("bundle %s: %d bytes fetched in %d ms, parsed in %d ms", uri,
                    files.values().stream().mapToLong(f -> f.length).sum(), (fetched - start) / 1_000_000,
                    (System.nanoTime() - fetched) / 1_000_000);
            return bundle;
        } catch (ModelLoadException e) {
            throw e;
        } catch (IOException e) {
            throw failure(uri, "cannot read it: " + e, e);
        } catch (RuntimeException e) {
            throw failure(uri, e.getMessage(), e);
        }
    }

    static Path folder(String uri) {
        if (!uri.regionMatches(true, 0, "file:", 0, 5)) {
            if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
                throw new IllegalArgumentException("unsupported scheme: use a folder (file:/path or a plain path) or s3://bucket/prefix");
            }
            return Path.of(uri);
        }
        URI parsed = URI.create(uri);
        return parsed.isOpaque() ? Path.of(parsed.getSchemeSpecificPart()) : Path.of(parsed);
    }

    private static Map<String, byte[]> readFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("there is no folder " + dir.toAbsolutePath());
        }
        // dir/model/model.bin as ModelBundle.writeTo writes it; or dir is that model folder itself
        boolean isModelFolder = !Files.isDirectory(dir.resolve("model")) && Files.exists(dir.resolve("model.bin"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : StoredBundle.FILES) {
            Path file = isModelFolder ? dir.resolve(name.substring(MODEL_DIR.length())) : dir.resolve(name);
            if (Files.isRegularFile(file)) {
                files.put(name, Files.readAllBytes(file));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the folder " + dir.toAbsolutePath() + " holds no model bundle (expected "
                    + String.join(", ", ModelBundle.REQUIRED_FILES) + ")");
        }
        return files;
    }

    private synchronized Map<String, byte[]> readS3(String uri) {
        if (store == null) {
            store = artifactStore.get();
        }
        return StoredBundle.files(store, uri);
    }

    /**
     * Opens the artifact store and asks it once for {@code probe} (which need not exist), so that the first bundle a
     * warm server loads does not pay for the client's start (classes, connection, the bucket's region lookup).
     */
    public void warmUp(URI probe) {
        ArtifactStore opened;
        synchronized (this) {
            if (store == null) {
                store = artifactStore.get();
            }
            opened = store;
        }
        opened.exists(probe);
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private static ModelLoadException failure(String uri, String reason, Throwable cause) {
        return new ModelLoadException("cannot serve the model at mlops.model.uri=" + uri + ": " + reason, cause);
    }
}
