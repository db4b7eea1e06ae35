package dev.mlops.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The modules that become container images (the services and model-server), read from the root pom. */
final class ImageModules {

    static final String GROUP = "mlops";

    private ImageModules() {
    }

    static List<String> names() {
        try {
            String pom = Files.readString(Kustomize.REPO.resolve("pom.xml"));
            Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
            List<String> modules = m.results().map(r -> r.group(1).trim())
                    .filter(name -> name.endsWith("-svc") || name.equals("model-server"))
                    .toList();
            if (modules.isEmpty()) {
                throw new AssertionError("the root pom lists no *-svc module");
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isModule(String name) {
        Path dir = Kustomize.REPO.resolve(name);
        return !name.contains("/") && Files.isRegularFile(dir.resolve("pom.xml"));
    }
}
