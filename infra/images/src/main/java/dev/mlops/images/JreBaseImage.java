package dev.mlops.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code mlops/jre:17-serving} or {@code mlops/jre:17-service}: a linux/amd64 Java 17 runtime assembled from Debian
 * bookworm's packages, whatever machine builds it. Layer {@code os} (loader, libc and the libraries the JVM loads,
 * users, /tmp: the same bytes, so the same digest, for both) and layer {@code jre} (a jlink image of Debian's jmods
 * with the {@link JavaRuntime}'s modules at /opt/java, with a trust store from ca-certificates). Kept as a docker-load
 * tarball whose name carries the runtime and a key over the package versions, the module list and this recipe:
 * rebuilt only when one of them changes.
 */
final class JreBaseImage {

    static final String NAME = "mlops/jre";
    static final String JAVA_VERSION = "17";
    static final String JAVA_HOME = "/opt/java";
    static final String JAVA = JAVA_HOME + "/bin/java";
    static final String JDK_PACKAGE = "openjdk-17-jdk-headless";
    static final List<String> OS_PACKAGES = List.of("libc6", "zlib1g", "libgcc-s1", "libstdc++6");
    static final String CA_PACKAGE = "ca-certificates";
    /** Bump when the way the base is assembled changes, so that cached bases are rebuilt. */
    static final int RECIPE = 3;
    private static final String JMODS = "usr/lib/jvm/java-17-openjdk-amd64/jmods";

    private final DebianArchive archive;
    private final JavaRuntime runtime;
    private final Path cacheDir;
    private final Consumer<String> progress;

    JreBaseImage(DebianArchive archive, JavaRuntime runtime, Path cacheDir, Consumer<String> progress) {
        this.archive = archive;
        this.runtime = runtime;
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /** {@code 17-serving} or {@code 17-service}. */
    static String tag(JavaRuntime runtime) {
        return JAVA_VERSION + "-" + runtime.flavor();
    }

    private String reference() {
        return NAME + ":" + tag(runtime);
    }

    private String tarballPrefix() {
        return "mlops-jre-" + tag(runtime) + "-";
    }

    static Set<String> packages() {
        Set<String> all = new java.util.TreeSet<>(OS_PACKAGES);
        all.add(JDK_PACKAGE);
        all.add(CA_PACKAGE);
        return all;
    }

    /** The base's tarball, built now or found in the cache. */
    Path tarball() throws ImageBuildException {
        Map<String, DebianPackage> packages;
        try {
            packages = archive.resolve(packages());
        } catch (MirrorUnreachableException e) {
            Optional<Path> cached = newestCached();
            if (cached.isEmpty()) {
                throw e;
            }
            progress.accept("base: " + e.getMessage().split(": set ")[0] + "; using the base built earlier, "
                    + cached.get().getFileName());
            return cached.get();
        }
        String key = key(packages.values(), runtime);
        Path tarball = cacheDir.resolve("base").resolve(tarballPrefix() + key + ".tar");
        if (Files.isRegularFile(tarball)) {
            progress.accept("base " + reference() + " is up to date (key " + key + "): " + tarball);
            return tarball;
        }
        long start = System.nanoTime();
        progress.accept("base " + reference() + ": assembling from " + packages.values().stream()
                .map(DebianPackage::pin).sorted().toList());
        Map<String, Path> unpacked = new TreeMap<>();
        for (DebianPackage p : packages.values()) {
            unpacked.put(p.name(), archive.unpack(p));
        }
        Path jre = linkedRuntime(key, unpacked);
        try {
            Files.createDirectories(tarball.getParent());
            Path os = tarball.resolveSibling("os-" + key + ".tar");
            DockerTarball.write(os, "mlops/os:bookworm", OsLayer.entries(OS_PACKAGES.stream().map(unpacked::get).toList()),
                    "mlops images: os layer from Debian bookworm's " + String.join(", ", OS_PACKAGES));
            Path partial = tarball.resolveSibling(tarball.getFileName() + ".part");
            JibContainerBuilder builder = Jib.from(TarImage.at(os))
                    .addFileEntriesLayer(jreLayer(jre))
                    .addEnvironmentVariable("JAVA_HOME", JAVA_HOME)
                    .addEnvironmentVariable("PATH", JAVA_HOME + "/bin:/usr/bin:/bin")
                    .setUser(Integer.toString(OsLayer.APP_UID))
                    .addLabel("org.opencontainers.image.title", NAME)
                    .addLabel("org.opencontainers.image.description",
                            "Java 17 " + runtime.flavor() + " runtime (jlink) from Debian bookworm packages, no shell")
                    .addLabel("dev.mlops.base.key", key)
                    .addLabel("dev.mlops.base.modules", String.join(",", runtime.modules()));
            packages.values().forEach(p -> builder.addLabel("dev.mlops.debian." + p.name(), p.version().toString()));
            JibRun.containerize(builder, Containerizer.to(TarImage.at(partial).named(reference())), cacheDir,
                    reference());
            Files.move(partial, tarball, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(os);
        } catch (InvalidImageReferenceException e) {
            throw JibRun.invalidReference(reference(), e);
        } catch (IOException e) {
            throw new ImageBuildException("could not write the base image under " + tarball.getParent() + ": "
                    + e.getMessage(), e);
        }
        progress.accept(String.format(java.util.Locale.ROOT, "base %s built in %.1f s: %s", reference(),
                (System.nanoTime() - start) / 1e9, tarball));
        return tarball;
    }

    /** The jlink output for this key, made once: Debian's jmods linked, plus cacerts. */
    private Path linkedRuntime(String key, Map<String, Path> unpacked) throws ImageBuildException {
        Path jre = cacheDir.resolve("jre").resolve(key);
        Path done = cacheDir.resolve("jre").resolve(key + ".complete");
        if (Files.exists(done) && Files.isDirectory(jre)) {
            return jre;
        }
        try {
            Folders.deleteRecursively(jre);
            Files.createDirectories(jre.getParent());
            progress.accept("jlink: " + runtime.modules().size() + " modules (" + runtime.flavor() + ") from "
                    + JDK_PACKAGE + "'s jmods");
            Jlink.link(unpacked.get(JDK_PACKAGE).resolve(JMODS), runtime.modules(), jre,
                    cacheDir.resolve("jre").resolve(key + ".log"));
            Path cacerts = jre.resolve("lib/security/cacerts");
            int certificates = Cacerts.write(unpacked.get(CA_PACKAGE), cacerts);
            progress.accept("cacerts: " + certificates + " certificates from " + CA_PACKAGE);
            Files.createFile(done);
            return jre;
        } catch (IOException e) {
            throw new ImageBuildException("could not make the Java runtime in " + jre + ": " + e.getMessage(), e);
        }
    }

    /** Every file of the jlink output at /opt/java, with its permissions (symlinks are copied: Jib has none). */
    private static FileEntriesLayer jreLayer(Path jre) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("jre");
        try (Stream<Path> files = Files.walk(jre)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                if (file.equals(jre) || Files.isDirectory(file)) {
                    continue;
                }
                Path real = Files.isSymbolicLink(file) ? file.toRealPath() : file;
                layer.addEntry(real, AbsoluteUnixPath.get(JAVA_HOME + "/" + jre.relativize(file)),
                        FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return layer.build();
    }

    static String key(java.util.Collection<DebianPackage> packages, JavaRuntime runtime) {
        List<String> parts = new ArrayList<>();
        parts.add("recipe " + RECIPE);
        packages.stream().map(DebianPackage::pin).sorted().forEach(parts::add);
        parts.add(String.join(",", runtime.modules()));
        parts.add(String.join(" ", Jlink.OPTIONS));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Path> newestCached() {
        Path folder = cacheDir.resolve("base");
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(tarballPrefix())
                            && p.getFileName().toString().endsWith(".tar"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
