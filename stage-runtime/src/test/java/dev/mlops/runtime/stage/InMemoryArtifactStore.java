package dev.mlops.runtime.stage;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactStoreException;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.store.S3Settings;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The artifact store kept in a map: what the runner writes survives a "restart" (a new runner on the same store). */
class InMemoryArtifactStore extends ArtifactStore {

    final Map<URI, byte[]> objects = new ConcurrentHashMap<>();

    InMemoryArtifactStore() {
        super(new S3Settings("http://127.0.0.1:9", "key", "secret", "mlops-artifacts", "us-east-1"));
    }

    @Override
    public URI put(String runId, String path, byte[] content, String contentType) {
        URI uri = ArtifactUri.forRun(bucket(), runId, path).toUri();
        objects.put(uri, content.clone());
        return uri;
    }

    @Override
    public InputStream open(URI s3Uri) {
        byte[] content = objects.get(s3Uri);
        if (content == null) {
            throw new ArtifactStoreException("could not read " + s3Uri + ": NoSuchKey");
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public boolean exists(URI s3Uri) {
        return objects.containsKey(s3Uri);
    }
}
