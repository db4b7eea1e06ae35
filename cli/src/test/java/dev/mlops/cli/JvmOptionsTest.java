package dev.mlops.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmOptionsTest {

    @Test
    void everyServiceHasASmallInitialHeapAndTheDefaultMaximum() {
        for (ServiceModule service : ServiceModule.ALL) {
            assertThat(JvmOptions.of(service)).as(service.name()).contains("-Xms32m", "-Xmx512m");
        }
    }

    @Test
    void trainSvcKeepsG1ForItsParallelGridSearchTheOthersUseTheSerialCollector() {
        assertThat(JvmOptions.of(ServiceModule.forStage("train").orElseThrow())).doesNotContain("-XX:+UseSerialGC");
        assertThat(JvmOptions.of(ServiceModule.TRACKING)).contains("-XX:+UseSerialGC");
        assertThat(JvmOptions.of(ServiceModule.forStage("preprocess").orElseThrow())).contains("-XX:+UseSerialGC");
    }

    @Test
    void onlyDeploySvcStopsAtC1() {
        assertThat(JvmOptions.of(ServiceModule.forStage("image").orElseThrow()))
                .noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
        assertThat(JvmOptions.of(ServiceModule.forStage("deploy").orElseThrow())).contains("-XX:TieredStopAtLevel=1");
        assertThat(JvmOptions.of(ServiceModule.TRACKING)).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
        assertThat(JvmOptions.of(ServiceModule.forStage("train").orElseThrow()))
                .noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
    }
}
