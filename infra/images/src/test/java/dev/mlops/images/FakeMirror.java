package dev.mlops.images;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A Debian mirror on loopback serving what a test puts into it, counting the requests per path. */
final class FakeMirror implements AutoCloseable {

    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakeMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = files.get(path);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/debian";
    }

    int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** Publishes a suite whose Packages index has {@code stanzas}, its Release naming the index's SHA256. */
    void suite(String suite, String stanzas) throws IOException {
        byte[] index = xz(stanzas.getBytes(StandardCharsets.UTF_8));
        files.put("/debian/dists/" + suite + "/main/binary-amd64/Packages.xz", index);
        files.put("/debian/dists/" + suite + "/Release", ("Origin: Debian\nSuite: " + suite + "\nMD5Sum:\n"
                + " 00000000000000000000000000000000 " + index.length + " main/binary-amd64/Packages.xz\nSHA256:\n"
                + " " + sha256(index) + " " + index.length + " main/binary-amd64/Packages.xz\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A stanza for a .deb served at {@code pool/<file>}, as Debian's index writes it (with a multi-line field). */
    String stanza(String name, String version, String file, byte[] deb) {
        put("/debian/pool/" + file, deb);
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\nDescription: test package\n"
                + " a continuation line: Package: not-this-one\n .\nFilename: pool/" + file + "\nSize: " + deb.length
                + "\nSHA256: " + sha256(deb) + "\n\n";
    }

    void put(String path, byte[] body) {
        files.put(path, body);
    }

    /** A .deb whose data.tar.xz holds an executable, a library and a symlink to it. */
    static byte[] deb(String marker) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(data)) {
            directory(tar, "./usr/");
            directory(tar, "./usr/bin/");
            directory(tar, "./usr/lib/");
            file(tar, "./usr/bin/tool", 0755, ("#!/bin/true " + marker).getBytes(StandardCharsets.UTF_8));
            file(tar, "./usr/lib/libx.so.1.0", 0644, marker.getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("./usr/lib/libx.so.1", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("libx.so.1.0");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        ByteArrayOutputStream deb = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.xz", xz(new byte[1024]));
            member(ar, "data.tar.xz", xz(data.toByteArray()));
        }
        return deb.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] content) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, content.length));
        ar.write(content);
        ar.closeArchiveEntry();
    }

    static byte[] xz(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(content);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
