package dev.mlops.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** No log of any component shows a credential: the S3 secret key, the database password, the API token. */
@ExtendWith(LocalPlatform.class)
class SecretsInLogsIT {

    final LocalPlatform.Platform platform = LocalPlatform.platform();

    @Test
    void noLogShowsACredentialAfterRunsThatSucceedAndFail() throws IOException {
        String good = platform.tracking().startPipeline(ResilienceIT.SMALL_GRID_NOT_DEPLOYED);
        String bad = platform.tracking().startPipeline("{\"dataset\": {\"uri\": \"s3://mlops-artifacts/missing.csv\"}}");
        assertThat(platform.awaitEnd(good, Duration.ofMinutes(3)).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(platform.awaitEnd(bad, Duration.ofMinutes(3)).path("status").asText()).isEqualTo("FAILED");

        Map<String, String> secrets = Map.of(
                "S3 secret key", platform.env().get("MLOPS_S3_SECRET_KEY"),
                "API token", platform.env().get("MLOPS_API_TOKEN"),
                "database password", storedCredential("db.password"));
        List<Path> logs;
        try (Stream<Path> files = Files.list(platform.state().resolve("logs"))) {
            logs = files.filter(f -> f.toString().endsWith(".log")).toList();
        }
        assertThat(logs).hasSizeGreaterThanOrEqualTo(10);
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            secrets.forEach((what, secret) -> assertThat(text).as("%s in %s", what, log).doesNotContain(secret));
        }
    }

    private String storedCredential(String key) throws IOException {
        Properties credentials = new Properties();
        try (Reader in = Files.newBufferedReader(platform.state().resolve("credentials.properties"))) {
            credentials.load(in);
        }
        return credentials.getProperty(key);
    }
}
