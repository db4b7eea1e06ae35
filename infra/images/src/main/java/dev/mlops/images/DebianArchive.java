package dev.mlops.images;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Debian's archive over HTTP(S), read by Java alone (no apt, no dpkg, nothing of the build machine's OS): each suite's
 * {@code Release}, its {@code main/binary-amd64/Packages.xz} checked against the Release's SHA256, the newest
 * version of a package across the suites, and its {@code .deb} downloaded into a cache, checked against the index's
 * SHA256 and unpacked (data.tar.xz, symlinks and permissions kept).
 *
 * <p>The Release file itself is trusted as HTTPS delivers it: its OpenPGP signature is not checked (no keyring).
 */
public final class DebianArchive {

    public static final String MIRROR_ENV = "MLOPS_DEBIAN_MIRROR";
    public static final String SECURITY_MIRROR_ENV = "MLOPS_DEBIAN_SECURITY_MIRROR";
    static final String DEFAULT_MIRROR = "https://deb.debian.org/debian";
    static final String DEFAULT_SECURITY_MIRROR = "https://deb.debian.org/debian-security";
    static final String INDEX = "main/binary-amd64/Packages.xz";

    /** A suite of a mirror; {@code mirrorEnv} names the variable that overrides the mirror, for error messages. */
    public record Suite(String mirror, String name, String mirrorEnv) {
    }

    private final List<Suite> suites;
    private final Path cacheDir;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    /** @param cacheDir downloaded indexes, .debs and their unpacked trees, reused across runs */
    public DebianArchive(List<Suite> suites, Path cacheDir, Consumer<String> progress) {
        this.suites = List.copyOf(suites);
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /** bookworm, bookworm-updates and bookworm-security, on the mirrors the environment names or Debian's CDN. */
    public static List<Suite> bookworm(Map<String, String> env) {
        String mirror = trimSlash(env.getOrDefault(MIRROR_ENV, DEFAULT_MIRROR));
        String security = trimSlash(env.getOrDefault(SECURITY_MIRROR_ENV, DEFAULT_SECURITY_MIRROR));
        return List.of(new Suite(mirror, "bookworm", MIRROR_ENV), new Suite(mirror, "bookworm-updates", MIRROR_ENV),
                new Suite(security, "bookworm-security", SECURITY_MIRROR_ENV));
    }

    /** The newest version of each package across the suites; a package no suite has is an error. */
    public Map<String, DebianPackage> resolve(Set<String> names) throws ImageBuildException {
        Map<String, DebianPackage> newest = new HashMap<>();
        for (Suite suite : suites) {
            Path index = index(suite);
            try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(index), 1 << 16))) {
                PackagesIndex.read(in, names, suite.mirror()).forEach((name, p) -> newest.merge(name, p, DebianArchive::newer));
            } catch (IOException | IllegalArgumentException e) {
                throw new ImageBuildException("could not read the Packages index of " + suite.mirror() + " "
                        + suite.name() + " (" + index + "): " + e.getMessage(), e);
            }
        }
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(newest.keySet());
        if (!missing.isEmpty()) {
            throw new ImageBuildException("no suite of " + suites.stream().map(s -> s.mirror() + " " + s.name()).toList()
                    + " has the package(s) " + missing);
        }
        return newest;
    }

    static DebianPackage newer(DebianPackage a, DebianPackage b) {
        return b.version().compareTo(a.version()) > 0 ? b : a;
    }

    /** The suite's Packages.xz, from the cache when the Release still names the same checksum. */
    private Path index(Suite suite) throws ImageBuildException {
        String base = suite.mirror() + "/dists/" + suite.name() + "/";
        String release = getString(URI.create(base + "Release"), suite);
        String[] expected = releaseChecksum(release, INDEX);
        if (expected == null) {
            throw new ImageBuildException("the Release of " + base + " lists no SHA256 for " + INDEX
                    + ": is " + suite.mirror() + " a Debian mirror? (set " + suite.mirrorEnv() + ")");
        }
        Path cached = cacheDir.resolve("indexes").resolve(expected[0] + ".Packages.xz");
        if (Files.isRegularFile(cached) && expected[0].equals(sha256(cached))) {
            return cached;
        }
        progress.accept("downloading " + base + INDEX + " (" + Long.parseLong(expected[1]) / 1024 + " KiB)");
        download(URI.create(base + INDEX), cached, expected[0], suite, "the " + suite.name() + " Packages index");
        return cached;
    }

    /** {sha256, size} of {@code path} in the Release's SHA256 section, or null. */
    static String[] releaseChecksum(String release, String path) {
        boolean inSha256 = false;
        for (String line : release.split("\n")) {
            if (!line.startsWith(" ")) {
                inSha256 = line.trim().equals("SHA256:");
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (inSha256 && fields.length == 3 && fields[2].equals(path)) {
                return new String[] {fields[0].toLowerCase(java.util.Locale.ROOT), fields[1]};
            }
        }
        return null;
    }

    /**
     * The package's .deb in the cache. A cached file whose SHA256 no longer matches (a broken earlier download, a
     * damaged disk) is downloaded again; a download that does not match is refused, naming the package and mirror.
     */
    public Path fetch(DebianPackage p) throws ImageBuildException {
        Path cached = cacheDir.resolve("pool").resolve(p.filename().substring(p.filename().lastIndexOf('/') + 1));
        if (Files.isRegularFile(cached)) {
            if (p.sha256().equals(sha256(cached))) {
                return cached;
            }
            progress.accept("cached " + cached.getFileName() + " does not match its SHA256: downloading it again");
        } else {
            progress.accept("downloading " + p.pin() + " (" + p.size() / 1024 + " KiB) from " + p.mirror());
        }
        Suite suite = suites.stream().filter(s -> s.mirror().equals(p.mirror())).findFirst()
                .orElse(new Suite(p.mirror(), "?", MIRROR_ENV));
        download(p.uri(), cached, p.sha256(), suite, "package " + p.pin());
        return cached;
    }

    /** The package's data.tar unpacked into {@code <cache>/unpacked/<name>_<version>} (once; reused after). */
    public Path unpack(DebianPackage p) throws ImageBuildException {
        Path target = cacheDir.resolve("unpacked").resolve(p.name() + "_" + p.version().toString().replace(':', '_'));
        Path done = target.resolve(".complete");
        if (Files.exists(done)) {
            return target;
        }
        Path deb = fetch(p);
        try {
            Folders.deleteRecursively(target);
            extractData(deb, target);
            Files.createFile(done);
            return target;
        } catch (IOException e) {
            throw new ImageBuildException("could not unpack " + deb + " (" + p.pin() + "): " + e.getMessage(), e);
        }
    }

    /** Extracts the data.tar.xz member of a .deb into {@code target}. */
    static void extractData(Path deb, Path target) throws IOException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry entry;
            while ((entry = ar.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.equals("data.tar.xz")) {
                    untar(new XZInputStream(ar), target);
                    return;
                }
                if (name.equals("data.tar.zst")) {
                    untar(new ZstdCompressorInputStream(ar), target);
                    return;
                }
                if (name.startsWith("data.tar")) {
                    throw new IOException(deb.getFileName() + " has " + name + ": only data.tar.xz and data.tar.zst "
                            + "are supported");
                }
            }
        }
        throw new IOException(deb.getFileName() + " has no data.tar member: not a Debian package");
    }

    private static void untar(InputStream in, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path path = root.resolve(entry.getName()).normalize();
            if (!path.startsWith(root)) {
                throw new IOException("entry " + entry.getName() + " points outside the package");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(path);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(path.getParent());
                Files.deleteIfExists(path);
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                continue;
            } else if (entry.isLink()) {
                Path source = root.resolve(entry.getLinkName()).normalize();
                if (!source.startsWith(root)) {
                    throw new IOException("hard link " + entry.getName() + " points outside the package");
                }
                Files.createDirectories(path.getParent());
                Files.copy(source, path, StandardCopyOption.REPLACE_EXISTING);
            } else if (entry.isFile()) {
                Files.createDirectories(path.getParent());
                Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue; // device nodes, fifos: none in the packages used here
            }
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private String getString(URI uri, Suite suite) throws ImageBuildException {
        try {
            HttpResponse<String> response = http.send(request(uri), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ImageBuildException("GET " + uri + " answered " + response.statusCode() + ": is "
                        + suite.mirror() + " a Debian mirror with " + suite.name() + "? (set " + suite.mirrorEnv() + ")");
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(suite, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while reading " + uri, e);
        }
    }

    private void download(URI uri, Path file, String sha256, Suite suite, String what) throws ImageBuildException {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try {
            Files.createDirectories(file.getParent());
            HttpResponse<Path> response = http.send(request(uri), HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(partial);
                throw new ImageBuildException("GET " + uri + " (" + what + ") answered " + response.statusCode()
                        + " from " + suite.mirror() + " (set " + suite.mirrorEnv() + " to a complete Debian mirror)");
            }
            String actual = sha256(partial);
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(partial);
                throw new ImageBuildException("checksum mismatch for " + what + " downloaded from " + suite.mirror()
                        + " (" + uri + "): SHA256 " + actual + ", the index says " + sha256
                        + "; refusing it (a broken or tampered mirror: try again or set " + suite.mirrorEnv() + ")");
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw unreachable(suite, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while downloading " + uri, e);
        }
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).header("User-Agent", "mlops-images").build();
    }

    private static MirrorUnreachableException unreachable(Suite suite, IOException e) {
        return new MirrorUnreachableException("could not reach " + suite.mirror() + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): set " + suite.mirrorEnv()
                + " to a reachable Debian mirror, or set " + PlatformImages.BASE_ENV
                + " to a Java 17 image in a registry", e);
    }

    static String sha256(Path file) throws ImageBuildException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ImageBuildException("could not read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String trimSlash(String url) {
        String value = url.trim();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
