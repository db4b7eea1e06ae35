package dev.mlops.cli;

import dev.mlops.common.jvm.DeferredOptimization;
import dev.mlops.common.jvm.NativeHeapTrim;
import dev.mlops.common.jvm.NoPerfData;
import dev.mlops.common.jvm.QuickCompilation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JvmOptionsTest {

    @Test
    void everyServiceHasASmallInitialHeapAndTheDefaultMaximumButTrainSvcWhoseGridSearchNeedsMore() {
        for (ServiceModule service : ServiceModule.ALL) {
            assertThat(JvmOptions.of(service)).as(service.name()).contains("-Xms32m")
                    .contains(service.name().equals("train-svc") ? "-Xmx1536m" : "-Xmx512m");
            assertThat(JvmOptions.maxHeap(service.name())).as("what the bench reports for %s", service.name())
                    .isEqualTo(service.name().equals("train-svc") ? "-Xmx1536m" : "-Xmx512m");
        }
    }

    @Test
    void trainSvcCollectsWhenIdleSoALargeSearchsHeapIsGivenBack() {
        assertThat(JvmOptions.of(ServiceModule.forStage("train").orElseThrow()))
                .contains("-XX:G1PeriodicGCInterval=30000");
        assertThat(JvmOptions.of(ServiceModule.TRACKING)).noneMatch(o -> o.startsWith("-XX:G1"));
    }

    @Test
    void trainSvcKeepsG1ForItsParallelGridSearchTheOthersUseTheSerialCollector() {
        assertThat(JvmOptions.of(ServiceModule.forStage("train").orElseThrow())).doesNotContain("-XX:+UseSerialGC");
        assertThat(JvmOptions.of(ServiceModule.TRACKING)).contains("-XX:+UseSerialGC");
        assertThat(JvmOptions.of(ServiceModule.forStage("preprocess").orElseThrow())).contains("-XX:+UseSerialGC");
    }

    @Test
    void everyServiceTrimsItsNativeHeapOnThisRuntime() {
        for (ServiceModule service : ServiceModule.ALL) {
            assertThat(JvmOptions.of(service)).as(service.name()).containsAll(NativeHeapTrim.options());
        }
    }

    @Test
    void noServiceSamplesPerformanceCountersWhileIdle() {
        assertThat(NoPerfData.options()).containsExactly("-XX:-UsePerfData");
        for (ServiceModule service : ServiceModule.ALL) {
            assertThat(JvmOptions.of(service)).as(service.name()).containsAll(NoPerfData.options());
        }
    }

    @Test
    void everyServiceCompilesEarlyWithC1AloneButTrainSvcWhichKeepsC2ForItsGridSearch() {
        ServiceModule train = ServiceModule.forStage("train").orElseThrow();
        assertThat(QuickCompilation.options()).contains("-XX:TieredStopAtLevel=1");
        assertThat(JvmOptions.of(train)).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"))
                .doesNotContainAnyElementsOf(QuickCompilation.options()).containsAll(DeferredOptimization.options());
        for (ServiceModule service : ServiceModule.ALL) {
            if (!service.equals(train)) {
                assertThat(JvmOptions.of(service)).as(service.name()).containsAll(QuickCompilation.options())
                        .noneMatch(o -> o.startsWith("-XX:Tier4"));
            }
        }
    }
}
