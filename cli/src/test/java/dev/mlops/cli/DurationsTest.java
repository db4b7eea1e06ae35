package dev.mlops.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {

    @Test
    void shortDurationsShowTenthsLongerOnesMinutesAndHours() {
        assertThat(Durations.format(Duration.ofMillis(830))).isEqualTo("0.8 s");
        assertThat(Durations.format(Duration.ofMillis(9_949))).isEqualTo("9.9 s");
        assertThat(Durations.format(Duration.ofSeconds(41))).isEqualTo("41 s");
        assertThat(Durations.format(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(Durations.format(Duration.ofMinutes(62))).isEqualTo("1h 02m");
    }

    @Test
    void parsesSecondsMinutesAndHours() {
        assertThat(Durations.parse("--timeout", "45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("--timeout", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("--timeout", "2h")).isEqualTo(Duration.ofHours(2));
    }
}
