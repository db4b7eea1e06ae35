package dev.mlops.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    static final Path HOME = Path.of("/repo");

    @Test
    void defaultsRunEverySectionAgainstTheSharedReference() {
        BenchOptions options = BenchOptions.parse(HOME);
        assertThat(options.sections()).containsExactlyElementsOf(BenchOptions.SECTIONS);
        assertThat(options.runs()).isEqualTo(3);
        assertThat(options.hopRuns()).isEqualTo(20);
        assertThat(options.trackingRuns()).isEqualTo(10_000);
        assertThat(options.searchRuns()).isEqualTo(100_000);
        assertThat(options.out()).isEqualTo(Path.of("/repo/bench/target/bench-results.json"));
        assertThat(options.reference()).isEqualTo(Path.of("/shared/reference"));
    }

    @Test
    void onlyAndSkipChooseSectionsInTheirFixedOrder() {
        assertThat(BenchOptions.parse(HOME, "--only", "serving,e2e").sections()).containsExactly("e2e", "serving");
        assertThat(BenchOptions.parse(HOME, "--skip", "tracking,hops").sections())
                .containsExactly("e2e", "training", "models", "image", "serving", "load", "stack", "scale", "scaleout");
        assertThat(BenchOptions.parse(HOME, "--runs", "5", "--serving-duration", "30s").servingSeconds()).isEqualTo(30);
        assertThat(BenchOptions.parse(HOME, "--search-runs", "2000").searchRuns()).isEqualTo(2000);
    }

    @Test
    void scaleRowsDefaultToTheTwoSmallSizesAndTakeAList() {
        assertThat(BenchOptions.parse(HOME).scaleRows()).containsExactly(10_000, 100_000);
        BenchOptions full = BenchOptions.parse(HOME, "--only", "scale", "--scale-rows", "10000,100_000,1000000");
        assertThat(full.scaleRows()).containsExactly(10_000, 100_000, 1_000_000);
        assertThat(full.toString()).contains("--scale-rows 10000,100000,1000000");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--scale-rows", "10000,lots"))
                .hasMessageContaining("--scale-rows must be a whole number above 0, got 'lots'");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--only", "gpu"))
                .hasMessageContaining("no section 'gpu'").hasMessageContaining("e2e, hops, training");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--runs", "0")).hasMessageContaining("--runs must be");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--runs")).hasMessageContaining("--runs needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--fast")).hasMessageContaining("unknown option '--fast'");
        assertThatThrownBy(() -> BenchOptions.parse(HOME, "--only", "e2e", "--skip", "e2e"))
                .hasMessageContaining("no section to run");
    }
}
