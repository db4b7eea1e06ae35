package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuickCompilationTest {

    @Test
    void aJvmOfThisRuntimeStartsOnC1AloneWithTheLowerCounts() throws Exception {
        ChildJvm.assertRunsWith(QuickCompilation.options(), QuickCompilation.FLAGS);
    }

    @Test
    void withEarlyC1AloneAJvmKeepsC2() throws Exception {
        ChildJvm.assertRunsWith(QuickCompilation.earlyC1(), QuickCompilation.EARLY_C1);
        assertThat(ChildJvm.printFlagsFinal(QuickCompilation.earlyC1()))
                .containsPattern("\\bTieredStopAtLevel\\s+= 4\\s");
    }
}
