package dev.mlops.image.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageNamesTest {

    @Test
    void modelNamesBecomeRepositoryComponents() {
        assertThat(ImageNames.repositoryName("titanic-rf")).isEqualTo("titanic-rf");
        assertThat(ImageNames.repositoryName("My Titanic/Model!")).isEqualTo("my-titanic-model");
        assertThat(ImageNames.repositoryName("__")).isEqualTo("model");
        assertThat(ImageNames.repositoryName(null)).isEqualTo("model");
    }

    @Test
    void theRunTagIsTheRunIdsFirstEightCharacters() {
        assertThat(ImageNames.runTag("3f2a9c1e-77aa-4bb0-9d1e-0123456789ab")).isEqualTo("3f2a9c1e");
        assertThat(ImageNames.runTag("abc")).isEqualTo("abc");
    }

    @Test
    void onlyLoopbackRegistriesCountAsLoopback() {
        assertThat(ImageNames.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(ImageNames.isLoopback("localhost:5000")).isTrue();
        assertThat(ImageNames.isLoopback("[::1]:5000")).isTrue();
        assertThat(ImageNames.isLoopback("registry.example.com:5000")).isFalse();
        assertThat(ImageNames.isLoopback("10.0.0.5:5000")).isFalse();
    }

    @Test
    void baseImagesAreScratchATarballOrARegistryReference() {
        assertThat(BaseImage.parse("scratch").kind()).isEqualTo(BaseImage.Kind.SCRATCH);
        assertThat(BaseImage.parse("tar:/opt/base.tar").tarball()).hasToString("/opt/base.tar");
        assertThat(BaseImage.parse("tar:///opt/base.tar").tarball()).hasToString("/opt/base.tar");
        BaseImage registry = BaseImage.parse("127.0.0.1:5000/mlops/model-server:latest");
        assertThat(registry.kind()).isEqualTo(BaseImage.Kind.REGISTRY);
        assertThat(registry.registryHost()).isEqualTo("127.0.0.1:5000");
        assertThat(BaseImage.parse("eclipse-temurin:17-jre").registryHost()).isEqualTo("registry-1.docker.io");
        assertThatThrownBy(() -> BaseImage.parse("tar:base.tar")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> BaseImage.parse("tar:/nonexistent/base.tar").checkAvailable())
                .hasMessageContaining("/nonexistent/base.tar does not exist");
    }
}
