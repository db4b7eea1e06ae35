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
 * The platform's images, built offline with jib-core: the Java runtime bases {@code mlops/jre:17-serving} (for
 * model-server) and {@code mlops/jre:17-service} (for the seven services), from Debian's packages (see
 * {@link JreBaseImage} and {@link JavaRuntime}), or the one base {@code MLOPS_JRE_BASE} names; on them every service
 * as {@code mlops/<module>:<project version>} (+ {@code latest}), pushed to a registry or written as docker-load
 * tarballs.
 */
public final class PlatformImages {

    /**
     * A Java 17 image in a registry ({@code eclipse-temurin:17-jre}) or {@code tar:/path} to build every image on
     * instead of the mlops/jre bases. (Not image-svc's MLOPS_IMAGE_BASE, which is the model-server image it puts
     * the model layer on.)
     */
    public static final String BASE_ENV = "MLOPS_JRE_BASE";
    public static final String SERVING_MODULE = "model-server";
    public static final List<String> SERVICES = List.of("tracking-svc", "ingest-svc", "preprocess-svc", "train-svc",
            "evaluate-svc", "image-svc", "deploy-svc", SERVING_MODULE);

    private final Path repositoryRoot;
    private final Path cacheDir;
    private final Consumer<String> progress;
    private final Map<String, String> env;
    private final ImageSizes sizes = new ImageSizes();
    private final Map<JavaRuntime, ServiceImage.Base> bases = new java.util.EnumMap<>(JavaRuntime.class);
    private final java.util.Set<String> basesPushed = new java.util.HashSet<>();

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
     * Builds (or reuses) mlops/jre:17-serving and mlops/model-server:&lt;version&gt;; returns what image-svc's
     * mlops.image.base takes: "&lt;registry&gt;/mlops/model-server:&lt;version&gt;" when registry is present (pushed
     * there), else "tar:/abs/path/model-server.tar".
     */
    public String servingBase(Optional<String> registry) throws ImageBuildException {
        return image(SERVING_MODULE, registry, servingBaseFolder()).reference();
    }

    /** What {@link #servingBase} will answer, known before the build: image-svc can start with it meanwhile. */
    public String servingBaseLocation(Optional<String> registry) throws ImageBuildException {
        return Destination.of(registry, servingBaseFolder(), SERVING_MODULE, imageName(SERVING_MODULE), projectVersion())
                .location();
    }

    private Path servingBaseFolder() {
        return cacheDir.resolve("images");
    }

    private static String imageName(String module) {
        return "mlops/" + module;
    }

    /** Builds one platform module's image (one of {@link #SERVICES}) on the base its {@link JavaRuntime} needs. */
    public BuiltImage image(String module, Optional<String> registry, Path tarballFolder) throws ImageBuildException {
        if (!SERVICES.contains(module)) {
            throw new ImageBuildException("no platform image is called " + module + ": the images are " + SERVICES);
        }
        return build(ServiceModule.read(repositoryRoot, module), registry, tarballFolder);
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
        ServiceImage.Base from = base(JavaRuntime.of(module.name()), registry);
        String version = projectVersion();
        Destination destination = Destination.of(registry, tarballFolder, module.name(), imageName(module.name()), version);
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
        List<ImageLayer> layers = measure(destination, container.getDigest().toString());
        BuiltImage image = new BuiltImage(destination.location(), container.getDigest().toString(),
                layers.stream().mapToLong(ImageLayer::compressed).sum(),
                layers.stream().mapToLong(ImageLayer::uncompressed).sum(), seconds);
        progress.accept("image " + image.describe());
        return image;
    }

    /** The base the runtime's images start from; built (or found in the cache) once per instance. */
    private ServiceImage.Base base(JavaRuntime runtime, Optional<String> registry) throws ImageBuildException {
        String chosen = env.getOrDefault(BASE_ENV, "").trim();
        if (!chosen.isEmpty()) {
            if (bases.isEmpty()) {
                progress.accept("base: " + chosen + " (" + BASE_ENV + ")");
            }
            // a base of the user's, for every image: its own PATH finds java (runc resolves the entrypoint there)
            return bases.computeIfAbsent(runtime, r -> new ServiceImage.Base(chosen, "java"));
        }
        ServiceImage.Base base = bases.get(runtime);
        if (base == null) {
            DebianArchive archive = new DebianArchive(DebianArchive.bookworm(env), cacheDir.resolve("debian"), progress);
            Path tarball = new JreBaseImage(archive, runtime, cacheDir, progress).tarball();
            base = new ServiceImage.Base("tar:" + tarball, JreBaseImage.JAVA);
            bases.put(runtime, base);
        }
        if (registry.isPresent() && basesPushed.add(runtime + " " + registry.get())) {
            pushBase(base, runtime, registry.get());
        }
        return base;
    }

    /** Puts mlops/jre:17-&lt;runtime&gt; into the registry too, beside the images made from it. */
    private void pushBase(ServiceImage.Base base, JavaRuntime runtime, String registry) throws ImageBuildException {
        String reference = registry + "/" + JreBaseImage.NAME + ":" + JreBaseImage.tag(runtime);
        try {
            JibRun.containerize(Jib.from(TarImage.at(Path.of(base.location().substring(4)))),
                    Containerizer.to(RegistryImage.named(reference))
                            .setAllowInsecureRegistries(Destination.isLoopback(registry)), cacheDir, reference);
        } catch (InvalidImageReferenceException e) {
            throw JibRun.invalidReference(reference, e);
        }
        progress.accept("base pushed: " + reference);
    }

    private List<ImageLayer> measure(Destination destination, String digest) throws ImageBuildException {
        try {
            return destination.pushes()
                    ? sizes.ofRegistry(destination.registry().get(), destination.name(), digest)
                    : ImageTarball.read(destination.tarball()).layers();
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
