package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

class DeferredOptimizationTest {

    @Test
    void aJvmOfThisRuntimeStartsWithTheHigherC2Thresholds() throws Exception {
        ChildJvm.assertRunsWith(DeferredOptimization.options(), DeferredOptimization.C2_THRESHOLDS);
    }
}
