package dev.mlops.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The platform's images, built offline with jib-core: the Java runtime base {@code mlops/jre:17} (from Debian's
 * packages, see {@link JreBaseImage}) or the base {@code MLOPS_IMAGE_BASE} names, and on it every service as
 * {@code mlops/<module>:<project version>} (+ {@code latest}), pushed to a registry or written as docker-load
 * tarballs.
 */
public final class PlatformImages {

    /** A registry image ({@code eclipse-temurin:17-jre}) or {@code tar:/path} to use instead of building mlops/jre:17. */
    public static final String BASE_ENV = "MLOPS_IMAGE_BASE";
    public static final String SERVING_MODULE = "model-server";
    public static final List<String> SERVICES = List.of("tracking-svc", "ingest-svc", "preprocess-svc", "train-svc",
            "evaluate-svc", "image-svc", "deploy-svc", SERVING_MODULE);

    private final Path repositoryRoot;
    private final Path cacheDir;
    private final Consumer<String> progress;
    private final Map<String, String> env;
    private final ImageSizes sizes = new ImageSizes();
    private ServiceImage.Base base;
    private final java.util.Set<String> basePushedTo = new java.util.HashSet<>();

    /** cacheDir: Debian downloads, jlink output and base tarballs; progress: one line per step for the CLI. */
    public PlatformImages(Path repositoryRoot, Path cacheDir, Consumer<String> progress) {
        this(repositoryRoot, cacheDir, progress, System.getenv());
    }

    PlatformImages(Path repositoryRoot, Path cacheDir, Consumer<String> progress, Map<String, String> env) {
        this.repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.progress = progress;
        this.env = Map.copyOf(env);
    }

    /**
     * Builds (or reuses) mlops/jre:17 and mlops/model-server:&lt;version&gt;; returns what image-svc's mlops.image.base
     * takes: "&lt;registry&gt;/mlops/model-server:&lt;version&gt;" when registry is present (pushed there), else
     * "tar:/abs/path/model-server.tar".
     */
    public String servingBase(Optional<String> registry) throws ImageBuildException {
        ServiceModule module = ServiceModule.read(repositoryRoot, SERVING_MODULE);
        return build(module, registry, cacheDir.resolve("images")).reference();
    }

    /** Builds every service image (the 7 services and model-server) the same way; returns module -> BuiltImage. */
    public Map<String, BuiltImage> all(Optional<String> registry, Path tarballFolder) throws ImageBuildException {
        List<ServiceModule> modules = new java.util.ArrayList<>();
        for (String name : SERVICES) {
            modules.add(ServiceModule.read(repositoryRoot, name));
        }
        Map<String, BuiltImage> built = new LinkedHashMap<>();
        for (ServiceModule module : modules) {
            built.put(module.name(), build(module, registry, tarballFolder));
        }
        return built;
    }

    private BuiltImage build(ServiceModule module, Optional<String> registry, Path tarballFolder)
            throws ImageBuildException {
        ServiceImage.Base from = base(registry);
        String version = projectVersion();
        Destination destination = Destination.of(registry, tarballFolder, module.name(), "mlops/" + module.name(), version);
        long start = System.nanoTime();
        if (!destination.pushes()) {
            try {
                Files.createDirectories(tarballFolder);
            } catch (IOException e) {
                throw new ImageBuildException("could not create " + tarballFolder + ": " + e.getMessage(), e);
            }
        }
        JibContainer container = ServiceImage.build(module, version, from, destination, cacheDir);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<ImageSizes.Layer> layers = measure(destination, container.getDigest().toString());
        BuiltImage image = new BuiltImage(destination.location(), container.getDigest().toString(),
                layers.stream().mapToLong(ImageSizes.Layer::compressed).sum(),
                layers.stream().mapToLong(ImageSizes.Layer::uncompressed).sum(), seconds);
        progress.accept("image " + image.describe());
        return image;
    }

    /** The base every service image starts from; built (or found in the cache) once per instance. */
    private ServiceImage.Base base(Optional<String> registry) throws ImageBuildException {
        if (base == null) {
            String chosen = env.getOrDefault(BASE_ENV, "").trim();
            if (!chosen.isEmpty()) {
                progress.accept("base: " + chosen + " (" + BASE_ENV + ")");
                // a base of the user's: its own PATH finds java (runc resolves the entrypoint in the image's PATH)
                base = new ServiceImage.Base(chosen, "java");
            } else {
                DebianArchive archive = new DebianArchive(DebianArchive.bookworm(env), cacheDir.resolve("debian"), progress);
                Path tarball = new JreBaseImage(archive, cacheDir, progress).tarball();
                base = new ServiceImage.Base("tar:" + tarball, JreBaseImage.JAVA);
            }
        }
        if (registry.isPresent() && base.location().startsWith("tar:") && basePushedTo.add(registry.get())) {
            pushBase(registry.get());
        }
        return base;
    }

    /** Puts mlops/jre:17 into the registry too, beside the images made from it. */
    private void pushBase(String registry) throws ImageBuildException {
        String reference = registry + "/" + JreBaseImage.NAME + ":" + JreBaseImage.TAG;
        try {
            JibRun.containerize(Jib.from(TarImage.at(Path.of(base.location().substring(4)))),
                    Containerizer.to(RegistryImage.named(reference))
                            .setAllowInsecureRegistries(Destination.isLoopback(registry)), cacheDir, reference);
        } catch (InvalidImageReferenceException e) {
            throw JibRun.invalidReference(reference, e);
        }
        progress.accept("base pushed: " + reference);
    }

    private List<ImageSizes.Layer> measure(Destination destination, String digest) throws ImageBuildException {
        try {
            return destination.pushes()
                    ? sizes.ofRegistry(destination.registry().get(), destination.name(), digest)
                    : ImageSizes.ofTarball(destination.tarball());
        } catch (IOException e) {
            throw new ImageBuildException("built " + destination.location() + " but could not measure it: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while measuring " + destination.location(), e);
        }
    }

    /** The root pom's version (the services inherit it). */
    String projectVersion() throws ImageBuildException {
        Path pom = repositoryRoot.resolve("pom.xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(pom.toFile());
            for (Node child = document.getDocumentElement().getFirstChild(); child != null; child = child.getNextSibling()) {
                if ("version".equals(child.getNodeName())) {
                    return child.getTextContent().trim();
                }
            }
            throw new ImageBuildException(pom + " has no <version>");
        } catch (ImageBuildException e) {
            throw e;
        } catch (Exception e) {
            throw new ImageBuildException("could not read the project version from " + pom + ": " + e.getMessage(), e);
        }
    }
}
