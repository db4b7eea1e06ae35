package dev.mlops.image.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads a pushed image's manifest back through the registry HTTP API (v2), for its layer digests and sizes:
 * Jib reports only the manifest digest. Plain HTTP is tried first when insecure registries are allowed.
 */
class RegistryManifests {

    static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json, "
            + "application/vnd.oci.image.manifest.v1+json";

    private final boolean allowInsecure;
    private final Optional<JibImageBuilder.Credentials> credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RegistryManifests(boolean allowInsecure, Optional<JibImageBuilder.Credentials> credentials) {
        this.allowInsecure = allowInsecure;
        this.credentials = credentials;
    }

    /** The layers of {@code digest} in the repository of {@code reference} ({@code host:port/repo/name:tag}). */
    List<BuiltImage.Layer> layers(String reference, String digest) throws IOException, InterruptedException {
        int slash = reference.indexOf('/');
        String registry = reference.substring(0, slash);
        String repository = reference.substring(slash + 1, reference.lastIndexOf(':'));
        String path = "/v2/" + repository + "/manifests/" + digest;
        List<String> schemes = allowInsecure ? List.of("http", "https") : List.of("https");
        IOException last = null;
        for (String scheme : schemes) {
            try {
                return parse(fetch(URI.create(scheme + "://" + registry + path)));
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("could not read the manifest of " + reference + " back from the registry: "
                + (last == null ? "" : last.getMessage()), last);
    }

    private String fetch(URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", ACCEPT);
        credentials.ifPresent(c -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    static List<BuiltImage.Layer> parse(String manifest) {
        List<BuiltImage.Layer> layers = new ArrayList<>();
        for (JsonNode layer : Json.tree(manifest).path("layers")) {
            layers.add(new BuiltImage.Layer(layer.path("digest").asText(), layer.path("size").asLong()));
        }
        return layers;
    }
}
