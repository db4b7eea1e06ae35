package dev.mlops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {

    @TempDir
    Path home;

    @Test
    void theFirstLoadGeneratesSecretsReadableByTheOwnerOnlyAndLaterLoadsKeepThem() throws Exception {
        CliSettings settings = CliSettings.of(home, Map.of());
        Path file = settings.state().credentials();

        Credentials first = Credentials.loadOrCreate(file, settings);
        Credentials second = Credentials.loadOrCreate(file, settings);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.s3SecretKey()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(first.dbPassword());
        assertThat(first.apiToken()).hasSizeGreaterThanOrEqualTo(32).isNotIn(first.s3SecretKey(), first.dbPassword());
        assertThat(second).isEqualTo(first);
        assertThat(Credentials.loadOrCreate(CliSettings.of(home.resolve("elsewhere"), Map.of()).state().credentials(),
                settings).dbPassword()).as("another state folder gets its own secrets").isNotEqualTo(first.dbPassword());
    }

    @Test
    void environmentVariablesOverrideTheStoredValues() {
        CliSettings plain = CliSettings.of(home, Map.of());
        Credentials stored = Credentials.loadOrCreate(plain.state().credentials(), plain);
        CliSettings overridden = CliSettings.of(home, Map.of("MLOPS_DB_PASSWORD", "from-env", "MLOPS_S3_ACCESS_KEY", "ak"));

        Credentials credentials = Credentials.loadOrCreate(overridden.state().credentials(), overridden);

        assertThat(credentials.dbPassword()).isEqualTo("from-env");
        assertThat(credentials.s3AccessKey()).isEqualTo("ak");
        assertThat(credentials.s3SecretKey()).isEqualTo(stored.s3SecretKey());
    }

    @Test
    void aPrintedCredentialsObjectDoesNotShowTheSecrets() {
        Credentials credentials = new Credentials("mlops", "s3-secret-0123456789", "mlops", "db-password-0123456789",
                "api-token-0123456789");

        assertThat(credentials.toString()).doesNotContain("s3-secret-0123456789").doesNotContain("db-password-0123456789")
                .doesNotContain("api-token-0123456789").contains("s3-****");
    }

    @Test
    void aStateFolderFromBeforeTheApiTokenGetsOneOnItsNextLoad() throws Exception {
        CliSettings settings = CliSettings.of(home, Map.of());
        Path file = settings.state().credentials();
        Credentials before = Credentials.loadOrCreate(file, settings);
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^api\\.token=.*$", ""));

        Credentials after = Credentials.loadOrCreate(file, settings);

        assertThat(after.apiToken()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(before.apiToken());
        assertThat(after.dbPassword()).isEqualTo(before.dbPassword());
        assertThat(Credentials.loadOrCreate(file, settings).apiToken()).isEqualTo(after.apiToken());
    }

    @Test
    void aFileLeftReadableByOthersIsMadeOwnerOnlyAgain() throws Exception {
        CliSettings settings = CliSettings.of(home, Map.of());
        Path file = settings.state().credentials();
        Credentials.loadOrCreate(file, settings);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Credentials.loadOrCreate(file, settings);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
