package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class InferenceCheckTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void servedLabelsMatchNumericallyOrAsText() {
        assertThat(InferenceCheck.sameLabel(JSON.numberNode(1), "1")).isTrue();
        assertThat(InferenceCheck.sameLabel(JSON.numberNode(1.0), "1")).isTrue();
        assertThat(InferenceCheck.sameLabel(JSON.textNode("1"), "1")).isTrue();
        assertThat(InferenceCheck.sameLabel(JSON.textNode("yes"), "yes")).isTrue();
        assertThat(InferenceCheck.sameLabel(JSON.numberNode(0), "1")).isFalse();
        assertThat(InferenceCheck.sameLabel(JSON.numberNode(1), "yes")).isFalse();
    }

    @Test
    void rolloutTimeoutsReadAsSeconds() {
        assertThat(KubernetesTarget.seconds(Duration.ofSeconds(120))).isEqualTo("120 s");
        assertThat(KubernetesTarget.seconds(Duration.ofMillis(2500))).isEqualTo("2.5 s");
    }
}
