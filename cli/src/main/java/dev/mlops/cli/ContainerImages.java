package dev.mlops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The images {@code up --containers} runs, {@code mlops/<module>:<version>}: in the registry when one is in use (the
 * container pulls it), else the tarballs in {@code <state>/images} loaded into podman. Built first when missing;
 * after a code change {@code ./mlops images} rebuilds them.
 */
final class ContainerImages {

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalStack stack;
    private final Podman podman;
    private final ImageBuilds builds;

    ContainerImages(LocalStack stack, Podman podman, ImageBuilds builds) {
        this.stack = stack;
        this.podman = podman;
        this.builds = builds;
    }

    /** The version images are tagged with: the project's, as this CLI was built. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = ContainerImages.class.getResourceAsStream("/mlops-cli.properties")) {
            if (in == null) {
                throw new IllegalStateException("mlops-cli.properties is missing: rebuild the CLI");
            }
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String repository(ServiceModule service) {
        return "mlops/" + service.name();
    }

    /** The image reference of each service, present in the registry or in podman's store when this returns. */
    Map<ServiceModule, String> ensure(List<ServiceModule> services) {
        Optional<String> registry = stack.imageRegistry();
        Path tarballs = stack.settings().state().images();
        List<ServiceModule> missing = services.stream().filter(s -> registry
                .map(r -> !inRegistry(r, s)).orElseGet(() -> !Files.isRegularFile(tarball(tarballs, s)))).toList();
        if (!missing.isEmpty()) {
            stack.settings().state().create();
            builds.all(registry, tarballs);
        }
        Map<ServiceModule, String> images = new LinkedHashMap<>();
        for (ServiceModule service : services) {
            if (registry.isPresent()) {
                images.put(service, registry.get() + "/" + repository(service) + ":" + version());
            } else {
                images.put(service, load(tarball(tarballs, service), service));
            }
        }
        return images;
    }

    private static Path tarball(Path folder, ServiceModule service) {
        return folder.resolve(service.name() + ".tar");
    }

    /** {@code podman load}: unchanged layers are skipped, so a tarball rebuilt by ./mlops images is picked up. */
    private String load(Path tarball, ServiceModule service) {
        Podman.Result load = podman.run(LOAD_TIMEOUT, "load", "--quiet", "--input", tarball.toString());
        if (!load.ok()) {
            throw new CliException("could not load " + tarball + " into podman: " + load.problem());
        }
        return "localhost/" + repository(service) + ":" + version();
    }

    /** Whether the registry has the image; anything but a plain yes (no answer, 401) counts as no: build and push. */
    static boolean inRegistry(String registry, ServiceModule service) {
        String scheme = isLoopback(registry) ? "http" : "https";
        HttpRequest head = HttpRequest.newBuilder(URI.create(scheme + "://" + registry + "/v2/" + repository(service)
                        + "/manifests/" + version()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,"
                        + " application/vnd.oci.image.manifest.v1+json")
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.send(head, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while looking for images in " + registry);
        }
    }

    private static boolean isLoopback(String registry) {
        return registry.startsWith("127.") || registry.startsWith("localhost") || registry.startsWith("[::1]");
    }
}
