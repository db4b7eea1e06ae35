package dev.mlops.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CliSettingsTest {

    @Test
    void ingestReadsFileDatasetsFromTheRepositoryDataAndTheDatasetsFolderNeverTheWholeHome() {
        // issue 17: the home folder was a default root, so file:$HOME/.git-credentials was read
        CliSettings settings = CliSettings.of(Path.of("/repo"), Map.of());

        assertThat(settings.ingestFileRoots()).isEqualTo("/repo/data,/repo/.mlops/datasets");
        assertThat(Arrays.asList(settings.ingestFileRoots().split(",")))
                .doesNotContain(Path.of(System.getProperty("user.home")).toAbsolutePath().toString());
    }

    @Test
    void theDatasetsFolderFollowsTheStateFolderAndTheVariableOverridesBoth() {
        assertThat(CliSettings.of(Path.of("/repo"), Map.of("MLOPS_STATE_DIR", "/srv/mlops")).ingestFileRoots())
                .isEqualTo("/repo/data,/srv/mlops/datasets");
        assertThat(CliSettings.of(Path.of("/repo"), Map.of("MLOPS_INGEST_FILE_ROOTS", "/mnt/a,/mnt/b"))
                .ingestFileRoots()).isEqualTo("/mnt/a,/mnt/b");
    }

    @Test
    void theBaseImageCacheIsSharedByEveryStateFolderUnlessMlopsCacheDirSaysOtherwise() {
        assertThat(CliSettings.of(Path.of("/repo"), Map.of("HOME", "/home/ada", "MLOPS_STATE_DIR", "/srv/a")).cacheDir())
                .isEqualTo(Path.of("/home/ada/.cache/mlops"));
        assertThat(CliSettings.of(Path.of("/repo"), Map.of("HOME", "/home/ada", "XDG_CACHE_HOME", "/var/cache/ada"))
                .cacheDir()).isEqualTo(Path.of("/var/cache/ada/mlops"));
        assertThat(CliSettings.of(Path.of("/repo"), Map.of("XDG_CACHE_HOME", "/var/cache/ada",
                "MLOPS_CACHE_DIR", "/scratch/images")).cacheDir()).isEqualTo(Path.of("/scratch/images"));
    }

    @Test
    void aRegistryPortThatIsNoPortIsRefusedBeforeAnythingStarts() {
        CliSettings settings = CliSettings.of(Path.of("/repo"), Map.of("MLOPS_REGISTRY_PORT", "five thousand"));

        org.assertj.core.api.Assertions.assertThatThrownBy(settings::validatePorts)
                .hasMessage("MLOPS_REGISTRY_PORT must be a port number between 1 and 65535, got 'five thousand'");
    }
}
