package dev.mlops.tracking;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of tracking-svc's sources, read as text: rest and messaging use the service package, the service
 * package uses neither (it declares the ports it needs, such as {@code service.InputEvents}), and beans get
 * what they use through their constructors.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/mlops/tracking");

    @Test
    void theServicePackageImportsNeitherMessagingNorRest() {
        assertThat(linesMatching("service", "import dev\\.mlops\\.tracking\\.(messaging|rest)\\.")).isEmpty();
    }

    @Test
    void messagingAndRestDoNotImportEachOther() {
        assertThat(linesMatching("messaging", "import dev\\.mlops\\.tracking\\.rest\\.")).isEmpty();
        assertThat(linesMatching("rest", "import dev\\.mlops\\.tracking\\.messaging\\.")).isEmpty();
    }

    /** A lone {@code @Inject} line would be a field's: constructors here need none. */
    @Test
    void noBeanHasAnInjectedField() {
        assertThat(linesMatching("", "^\\s*@Inject\\s*$")).isEmpty();
    }

    /** "file: line" for every line of the package's sources (and its subpackages') that matches. */
    private static List<String> linesMatching(String pkg, String regex) {
        Pattern pattern = Pattern.compile(regex);
        Path root = SOURCES.resolve(pkg);
        assertThat(root).isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(file -> lines(file).stream()
                            .filter(line -> pattern.matcher(line).find())
                            .map(line -> SOURCES.relativize(file) + ": " + line.trim()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
