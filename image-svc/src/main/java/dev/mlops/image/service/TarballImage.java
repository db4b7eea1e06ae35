package dev.mlops.image.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A docker-load tarball read back: its {@code manifest.json} (config, repo tags, layer files) and each layer's digest. */
record TarballImage(String config, List<String> repoTags, List<BuiltImage.Layer> layers) {

    static TarballImage read(Path tarball) throws IOException {
        Map<String, BuiltImage.Layer> blobs = new HashMap<>();
        String manifest = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.getName().equals("manifest.json")) {
                    manifest = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                } else {
                    blobs.put(entry.getName(), digest(tar));
                }
            }
        }
        if (manifest == null) {
            throw new IOException(tarball + " has no manifest.json: not a docker-load image tarball");
        }
        JsonNode image = Json.tree(manifest).path(0);
        List<String> tags = new ArrayList<>();
        image.path("RepoTags").forEach(t -> tags.add(t.asText()));
        List<BuiltImage.Layer> layers = new ArrayList<>();
        for (JsonNode name : image.path("Layers")) {
            BuiltImage.Layer layer = blobs.get(name.asText());
            if (layer == null) {
                throw new IOException(tarball + " lists layer " + name.asText() + " but does not contain it");
            }
            layers.add(layer);
        }
        return new TarballImage(image.path("Config").asText(), tags, layers);
    }

    private static BuiltImage.Layer digest(InputStream in) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = new DigestInputStream(in, sha256).transferTo(java.io.OutputStream.nullOutputStream());
        return new BuiltImage.Layer("sha256:" + HexFormat.of().formatHex(sha256.digest()), size);
    }
}
