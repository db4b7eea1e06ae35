package dev.mlops.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The registry's HTTP API (v2), as a user or kubelet sees the pushed image. */
record RegistryApi(String address) {

    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    record Manifest(JsonNode json, String digest, String contentType) {
    }

    JsonNode tags(String repository) {
        return Json.tree(new String(get("/v2/" + repository + "/tags/list", "application/json").body()));
    }

    Manifest manifest(String repository, String reference) {
        HttpResponse<byte[]> answer = get("/v2/" + repository + "/manifests/" + reference,
                DOCKER_MANIFEST + ", " + OCI_MANIFEST);
        return new Manifest(Json.tree(new String(answer.body())),
                answer.headers().firstValue("Docker-Content-Digest").orElse(null),
                answer.headers().firstValue("Content-Type").orElse(null));
    }

    byte[] blob(String repository, String digest) {
        return get("/v2/" + repository + "/blobs/" + digest, "*/*").body();
    }

    private HttpResponse<byte[]> get(String path, String accept) {
        try {
            HttpResponse<byte[]> answer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + address + path)).header("Accept", accept).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + answer.statusCode() + ": "
                        + new String(answer.body()));
            }
            return answer;
        } catch (java.io.IOException e) {
            throw new AssertionError("registry at " + address + " did not answer GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
