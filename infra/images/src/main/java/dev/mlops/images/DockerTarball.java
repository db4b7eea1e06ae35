package dev.mlops.images;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A one-layer docker-load tarball written directly, for what Jib's file layers cannot hold: symlinks and the sticky
 * bit of /tmp. Jib then reads it as a base ({@code TarImage}) and adds the other layers.
 */
final class DockerTarball {

    /** A tar entry of the layer: a folder, a file (from {@code source} or {@code content}) or a symlink. */
    record Entry(String path, int mode, Path source, byte[] content, String linkTarget) {

        static Entry folder(String path, int mode) {
            return new Entry(path, mode, null, null, null);
        }

        static Entry file(String path, int mode, Path source) {
            return new Entry(path, mode, source, null, null);
        }

        static Entry text(String path, String content) {
            return new Entry(path, 0644, null, content.getBytes(StandardCharsets.UTF_8), null);
        }

        static Entry symlink(String path, String target) {
            return new Entry(path, 0777, null, null, target);
        }
    }

    private DockerTarball() {
    }

    static void write(Path tarball, String repoTag, List<Entry> entries, String historyNote) throws IOException {
        Path layer = tarball.resolveSibling(tarball.getFileName() + ".layer");
        String diffId;
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                    new DigestOutputStream(Files.newOutputStream(layer), sha256))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Entry entry : entries) {
                    put(tar, entry);
                }
            }
            diffId = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String config = """
                {"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",\
                "config":{"Env":["PATH=/usr/bin:/bin"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},\
                "history":[{"created":"1970-01-01T00:00:00Z","created_by":"%s"}]}""".formatted(diffId, historyNote);
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":[\"layer.tar\"]}]";
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
            addBytes(out, "config.json", config.getBytes(StandardCharsets.UTF_8));
            addBytes(out, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry entry = new TarArchiveEntry("layer.tar");
            entry.setSize(Files.size(layer));
            out.putArchiveEntry(entry);
            Files.copy(layer, out);
            out.closeArchiveEntry();
        } finally {
            Files.deleteIfExists(layer);
        }
    }

    private static void put(TarArchiveOutputStream tar, Entry entry) throws IOException {
        TarArchiveEntry tarEntry;
        if (entry.linkTarget() != null) {
            tarEntry = new TarArchiveEntry(entry.path(), TarArchiveEntry.LF_SYMLINK);
            tarEntry.setLinkName(entry.linkTarget());
        } else {
            tarEntry = new TarArchiveEntry(entry.source() == null && entry.content() == null
                    ? entry.path() + "/" : entry.path());
        }
        tarEntry.setMode((tarEntry.isDirectory() ? 040000 : tarEntry.isSymbolicLink() ? 0120000 : 0100000) | entry.mode());
        tarEntry.setUserId(0);
        tarEntry.setGroupId(0);
        tarEntry.setModTime(1000L);
        if (entry.source() != null) {
            tarEntry.setSize(Files.size(entry.source()));
            tar.putArchiveEntry(tarEntry);
            Files.copy(entry.source(), tar);
        } else if (entry.content() != null) {
            tarEntry.setSize(entry.content().length);
            tar.putArchiveEntry(tarEntry);
            tar.write(entry.content());
        } else {
            tar.putArchiveEntry(tarEntry);
        }
        tar.closeArchiveEntry();
    }

    private static void addBytes(TarArchiveOutputStream out, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }

}
