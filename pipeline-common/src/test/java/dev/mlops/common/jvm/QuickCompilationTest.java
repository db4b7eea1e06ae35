package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

class QuickCompilationTest {

    @Test
    void aJvmOfThisRuntimeStartsOnC1AloneWithTheLowerCounts() throws Exception {
        ChildJvm.assertRunsWith(QuickCompilation.options(), QuickCompilation.FLAGS);
    }
}
