package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NoPerfDataTest {

    @Test
    void aJvmOfThisRuntimeStartsWithoutPerformanceCounters() throws Exception {
        assertThat(NoPerfData.options()).as("this runtime (%s) knows the flag", Runtime.version()).hasSize(1);

        assertThat(ChildJvm.printFlagsFinal(NoPerfData.options()))
                .containsPattern("\\bUsePerfData\\s+= false\\s+\\{product\\} \\{command line\\}");
        assertThat(ChildJvm.printFlagsFinal(List.of())).as("the default it turns off")
                .containsPattern("\\bUsePerfData\\s+= true\\s+\\{product\\} \\{default\\}");
    }
}
