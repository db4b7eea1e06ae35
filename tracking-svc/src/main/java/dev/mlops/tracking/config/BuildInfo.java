package dev.mlops.tracking.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What build of the platform is running: the application version and the git commit it was built from. */
@ApplicationScoped
public class BuildInfo {

    public static final String UNKNOWN = "unknown";

    private final String version;
    private final String gitCommit;

    public BuildInfo(@ConfigProperty(name = "quarkus.application.version", defaultValue = UNKNOWN) String version) {
        this.version = version;
        this.gitCommit = readGitCommit();
    }

    public String version() {
        return version;
    }

    public String gitCommit() {
        return gitCommit;
    }

    /** git.properties is written at build time by git-commit-id-maven-plugin; absent outside a git checkout. */
    private static String readGitCommit() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/git.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties git = new Properties();
            git.load(in);
            String commit = git.getProperty("git.commit.id", "").trim();
            return commit.isEmpty() ? UNKNOWN : commit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
