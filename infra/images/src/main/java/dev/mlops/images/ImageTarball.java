package dev.mlops.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.zip.GZIPInputStream;

/**
 * A docker-load tarball (what {@code docker save} writes and Jib's {@code TarImage} produces) read back: its
 * {@code manifest.json}'s config file, repo tags and layers in manifest order, each layer's digest and sizes.
 *
 * @param config   the config member's name in the tarball
 * @param repoTags the tags {@code podman load} / {@code docker load} give the image
 */
public record ImageTarball(String config, List<String> repoTags, List<ImageLayer> layers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageTarball {
        repoTags = List.copyOf(repoTags);
        layers = List.copyOf(layers);
    }

    public static ImageTarball read(Path tarball) throws IOException {
        Map<String, ImageLayer> members = new HashMap<>();
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
                    members.put(entry.getName(), layer(tar, entry.getSize()));
                }
            }
        }
        if (manifest == null) {
            throw new IOException(tarball + " has no manifest.json: not a docker-load image tarball");
        }
        JsonNode image = JSON.readTree(manifest).path(0);
        List<String> tags = new ArrayList<>();
        image.path("RepoTags").forEach(tag -> tags.add(tag.asText()));
        List<ImageLayer> layers = new ArrayList<>();
        for (JsonNode name : image.path("Layers")) {
            ImageLayer layer = members.get(name.asText());
            if (layer == null) {
                throw new IOException(tarball + " lists layer " + name.asText() + " but does not contain it");
            }
            layers.add(layer);
        }
        return new ImageTarball(image.path("Config").asText(), tags, layers);
    }

    public long compressedBytes() {
        return layers.stream().mapToLong(ImageLayer::compressed).sum();
    }

    public long uncompressedBytes() {
        return layers.stream().mapToLong(ImageLayer::uncompressed).sum();
    }

    /** Digests the member as stored while unpacking it to count its bytes; reads it to the end. */
    private static ImageLayer layer(InputStream member, long size) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        DigestInputStream stored = new DigestInputStream(member, sha256);
        long unpacked = unpackedSize(stored);
        stored.transferTo(OutputStream.nullOutputStream()); // whatever gzip left unread still belongs to the digest
        return new ImageLayer("sha256:" + HexFormat.of().formatHex(sha256.digest()), size, unpacked);
    }

    /** The bytes of a layer blob unpacked: gunzipped when it is gzip, else as it is. */
    static long unpackedSize(InputStream blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return (gzip ? new GZIPInputStream(in, 1 << 16) : in).transferTo(OutputStream.nullOutputStream());
    }
}
