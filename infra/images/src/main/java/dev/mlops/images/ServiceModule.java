package dev.mlops.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A platform service as its image needs it: the Quarkus build output ({@code target/quarkus-app}) and the HTTP port
 * its application.properties sets.
 */
record ServiceModule(String name, Path app, int port) {

    static ServiceModule read(Path repositoryRoot, String name) throws ImageBuildException {
        Path module = repositoryRoot.resolve(name);
        Path app = module.resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new ImageBuildException(name + " is not built (" + app.resolve("quarkus-run.jar")
                    + " is missing): run ./mvnw package first");
        }
        Path properties = module.resolve("src/main/resources/application.properties");
        Properties values = new Properties();
        try (InputStream in = Files.newInputStream(properties)) {
            values.load(in);
        } catch (IOException e) {
            throw new ImageBuildException("could not read " + properties + ": " + e.getMessage(), e);
        }
        String port = values.getProperty("quarkus.http.port");
        try {
            return new ServiceModule(name, app, Integer.parseInt(port.trim()));
        } catch (NullPointerException | NumberFormatException e) {
            throw new ImageBuildException(properties + " sets no numeric quarkus.http.port (found " + port + ")", e);
        }
    }
}
