package dev.mlops.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads tar archives (image tarballs and layers) into name -> content, in archive order; directories are left out. */
final class Archives {

    private Archives() {
    }

    static Map<String, byte[]> untar(byte[] tar) {
        return untar(new ByteArrayInputStream(tar));
    }

    static Map<String, byte[]> untarGzip(byte[] tarGz) {
        try {
            return untar(new GZIPInputStream(new ByteArrayInputStream(tarGz)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> untar(InputStream in) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
