package dev.mlops.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * An image's layers measured: compressed (as stored in the tarball or the registry) and unpacked. Registry layers
 * are read back once each (a layer shared by several images is counted from memory the next time).
 */
final class ImageSizes {

    /** One layer: its digest (or tarball member name), compressed and unpacked bytes. */
    record Layer(String digest, long compressed, long uncompressed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, Long> unpacked = new ConcurrentHashMap<>();

    /** The layers of a docker-load tarball, in manifest order. */
    static List<Layer> ofTarball(Path tarball) throws IOException {
        Map<String, Layer> members = new HashMap<>();
        String manifest = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.getName().equals("manifest.json")) {
                    manifest = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                } else if (!entry.getName().endsWith(".json")) {
                    members.put(entry.getName(), new Layer(entry.getName(), entry.getSize(), unpackedSize(tar)));
                }
            }
        }
        if (manifest == null) {
            throw new IOException(tarball + " has no manifest.json: not a docker-load image tarball");
        }
        List<Layer> ordered = new ArrayList<>();
        for (JsonNode name : JSON.readTree(manifest).path(0).path("Layers")) {
            Layer layer = members.get(name.asText());
            if (layer == null) {
                throw new IOException(tarball + " lists layer " + name.asText() + " but does not contain it");
            }
            ordered.add(layer);
        }
        return ordered;
    }

    /** The layers of {@code registry/repository@digest}, read through the registry API (v2, no auth). */
    List<Layer> ofRegistry(String registry, String repository, String digest) throws IOException, InterruptedException {
        String scheme = Destination.isLoopback(registry) ? "http" : "https";
        String base = scheme + "://" + registry + "/v2/" + repository;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/manifests/" + digest))
                .header("Accept", ACCEPT).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base + "/manifests/" + digest + " answered " + response.statusCode());
        }
        List<Layer> layers = new ArrayList<>();
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
                    known = unpackedSize(in);
                }
                unpacked.put(layer[0], known);
            }
            layers.add(new Layer(layer[0], size, known));
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

    /** The bytes of a layer blob unpacked: gunzipped when it is gzip, else as it is. */
    private static long unpackedSize(InputStream blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return (gzip ? new GZIPInputStream(in, 1 << 16) : in).transferTo(OutputStream.nullOutputStream());
    }
}
