package dev.mlops.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pushed image's layers measured through the registry API, compressed (as stored) and unpacked; a tarball's are
 * measured by {@link ImageTarball#read}. Each layer is read back once (a layer shared by several images is counted
 * from memory the next time).
 */
final class ImageSizes {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, Long> unpacked = new ConcurrentHashMap<>();

    /** The layers of {@code registry/repository@digest}, read through the registry API (v2, no auth). */
    List<ImageLayer> ofRegistry(String registry, String repository, String digest) throws IOException, InterruptedException {
        String scheme = Destination.isLoopback(registry) ? "http" : "https";
        String base = scheme + "://" + registry + "/v2/" + repository;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/manifests/" + digest))
                .header("Accept", ACCEPT).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base + "/manifests/" + digest + " answered " + response.statusCode());
        }
        List<ImageLayer> layers = new ArrayList<>();
        for (String[] layer : manifestLayers(response.body())) {
            long size = Long.parseLong(layer[1]);
            Long known = unpacked.get(layer[0]);
            if (known == null) {
                HttpResponse<InputStream> blob = http.send(HttpRequest.newBuilder(URI.create(base + "/blobs/" + layer[0]))
                        .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = blob.body()) {
                    if (blob.statusCode() != 200) {
                        throw new IOException("GET " + base + "/blobs/" + layer[0] + " answered " + blob.statusCode());
                    }
                    known = ImageTarball.unpackedSize(in);
                }
                unpacked.put(layer[0], known);
            }
            layers.add(new ImageLayer(layer[0], size, known));
        }
        return layers;
    }

    /** {digest, size} of each layer a manifest lists. */
    static List<String[]> manifestLayers(String manifest) throws IOException {
        List<String[]> layers = new ArrayList<>();
        for (JsonNode layer : JSON.readTree(manifest).path("layers")) {
            layers.add(new String[] {layer.path("digest").asText(), layer.path("size").asText()});
        }
        return layers;
    }
}
