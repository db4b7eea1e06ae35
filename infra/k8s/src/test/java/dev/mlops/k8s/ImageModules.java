package dev.mlops.k8s;

import dev.mlops.images.PlatformImages;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images infra/images builds ({@code ./mlops images}): {@code mlops/<module>:<project version>} and
 * {@code :latest} for each of {@link PlatformImages#SERVICES}.
 */
final class ImageModules {

    static final String GROUP = "mlops";

    /** [registry/]mlops/name:tag; the registry is a host (with a dot or a port) or localhost, as Docker reads it. */
    private static final Pattern OURS = Pattern.compile(
            "(?:(?<registry>[^/]*[.:][^/]*|localhost)/)?" + GROUP + "/(?<name>[^:@]+)(?::(?<tag>[^:/@]+))?(?<digest>@.+)?");

    /** An image reference of ours, taken apart; tag is null when the reference has none (Kubernetes pulls latest). */
    record Reference(String registry, String name, String tag, String digest) {
    }

    private ImageModules() {
    }

    static List<String> names() {
        return PlatformImages.SERVICES;
    }

    /** The tags infra/images gives every image: the root pom's version (as it reads it) and latest. */
    static List<String> tags() {
        return List.of(projectVersion(), "latest");
    }

    /** The reference taken apart when it names an image in our group, else empty (a third-party image). */
    static Optional<Reference> parse(String image) {
        Matcher m = OURS.matcher(image);
        return m.matches() ? Optional.of(new Reference(m.group("registry"), m.group("name"), m.group("tag"),
                m.group("digest"))) : Optional.empty();
    }

    static String projectVersion() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Node root = factory.newDocumentBuilder().parse(Kustomize.REPO.resolve("pom.xml").toFile()).getDocumentElement();
            for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
                if ("version".equals(child.getNodeName())) {
                    return child.getTextContent().trim();
                }
            }
            throw new AssertionError("the root pom has no <version>");
        } catch (Exception e) {
            throw new IllegalStateException("could not read the root pom's version", e);
        }
    }
}
