package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeferredOptimizationTest {

    @Test
    void aJvmOfThisRuntimeStartsWithTheHigherC2Thresholds() throws Exception {
        List<String> options = DeferredOptimization.options();
        assertThat(options).as("this runtime (%s) knows the flags", Runtime.version()).hasSize(4);

        String output = ChildJvm.printFlagsFinal(options);

        DeferredOptimization.C2_THRESHOLDS.forEach((flag, value) ->
                assertThat(output).containsPattern("\\b" + flag + "\\s+= " + value + "\\s+\\{product\\} \\{command line\\}"));
    }
}
