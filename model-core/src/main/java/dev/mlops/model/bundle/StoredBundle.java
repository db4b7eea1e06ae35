package dev.mlops.model.bundle;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model bundle's files in the artifact store, under an S3 prefix such as {@code s3://mlops-artifacts/runs/<runId>/model}
 * (what train registers as a version's artifact URI) or the run itself ({@code s3://mlops-artifacts/runs/<runId>}).
 */
public final class StoredBundle {

    /** Every file of a bundle, {@link ModelBundle#REQUIRED_FILES} and {@code model/MLmodel}. */
    public static final List<String> FILES = List.of(ModelBundle.MODEL_FILE, ModelBundle.PREPROCESSOR_FILE,
            ModelBundle.SIGNATURE_FILE, ModelBundle.METADATA_FILE, ModelBundle.MLMODEL_FILE);

    private StoredBundle() {
    }

    /** The bundle's files found under {@code s3Uri} (name -> content); an IllegalArgumentException when there are none. */
    public static Map<String, byte[]> files(ArtifactStore store, String s3Uri) {
        ArtifactUri prefix = ArtifactUri.parse(URI.create(s3Uri));
        String key = prefix.key().endsWith("/") ? prefix.key().substring(0, prefix.key().length() - 1) : prefix.key();
        // s3://bucket/runs/<id>/model names the model folder; s3://bucket/runs/<id> the run
        String base = key.equals("model") ? "" : key.endsWith("/model") ? key.substring(0, key.length() - "model".length()) : key + "/";
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (String name : FILES) {
            URI file = new ArtifactUri(prefix.bucket(), base + name).toUri();
            if (store.exists(file)) {
                files.put(name, store.read(file));
            } else {
                absent.add(file.toString());
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no model bundle under it: none of " + absent + " exists");
        }
        return files;
    }
}
