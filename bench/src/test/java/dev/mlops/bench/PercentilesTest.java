package dev.mlops.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentilesTest {

    @Test
    void nearestRankPicksAMeasuredValue() {
        Percentiles p = Percentiles.of(List.of(15.0, 20.0, 35.0, 40.0, 50.0));
        assertThat(p.at(30)).isEqualTo(20.0);
        assertThat(p.at(40)).isEqualTo(20.0);
        assertThat(p.at(50)).isEqualTo(35.0);
        assertThat(p.at(100)).isEqualTo(50.0);
    }

    @Test
    void p99OfAHundredValuesIsTheSecondLargest() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;  // unsorted on purpose
        }
        Percentiles p = Percentiles.of(values);
        assertThat(p.at(99)).isEqualTo(99.0);
        assertThat(p.min()).isEqualTo(1.0);
        assertThat(p.max()).isEqualTo(100.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddlePair() {
        assertThat(Percentiles.of(4, 1, 3, 2).median()).isEqualTo(2.5);
        assertThat(Percentiles.of(3, 1, 2).median()).isEqualTo(2.0);
    }

    @Test
    void anEmptySampleOrAPercentileOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> Percentiles.of()).hasMessageContaining("no values");
        assertThatThrownBy(() -> Percentiles.of(1, 2).at(0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Percentiles.of(1, 2).at(101)).hasMessageContaining("(0, 100]");
    }
}
