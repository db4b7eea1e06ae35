package dev.mlops.images;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Debian {@code Packages} index (RFC 822-style stanzas separated by blank lines) and keeps, of the wanted
 * packages only, the highest version the index lists.
 */
final class PackagesIndex {

    private PackagesIndex() {
    }

    static Map<String, DebianPackage> read(InputStream index, Set<String> wanted, String mirror) throws IOException {
        Map<String, DebianPackage> found = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8), 1 << 16);
        Map<String, String> stanza = new HashMap<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                keep(stanza, wanted, mirror, found);
                stanza.clear();
            } else if (!Character.isWhitespace(line.charAt(0))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    stanza.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            // continuation lines (descriptions, multi-line fields) carry nothing we read
        }
        keep(stanza, wanted, mirror, found);
        return found;
    }

    private static void keep(Map<String, String> stanza, Set<String> wanted, String mirror,
                             Map<String, DebianPackage> found) {
        String name = stanza.get("Package");
        if (name == null || !wanted.contains(name)) {
            return;
        }
        String version = stanza.get("Version");
        String filename = stanza.get("Filename");
        String sha256 = stanza.get("SHA256");
        String size = stanza.get("Size");
        if (version == null || filename == null || sha256 == null || size == null) {
            throw new IllegalArgumentException("the Packages index of " + mirror + " lists " + name
                    + " without Version, Filename, SHA256 or Size");
        }
        DebianPackage candidate = new DebianPackage(name, DebianVersion.parse(version), filename,
                sha256.toLowerCase(java.util.Locale.ROOT), Long.parseLong(size), mirror);
        found.merge(name, candidate, DebianArchive::newer);
    }
}
