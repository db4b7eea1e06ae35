package dev.mlops.common.jvm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeHeapTrimTest {

    @Test
    void aJvmOfThisRuntimeStartsWithTheOptionsAndTrimsItsHeap() throws Exception {
        List<String> options = NativeHeapTrim.options();
        if (!NativeHeapTrim.supported()) {
            assertThat(options).as("no option an older runtime (%s) would refuse", Runtime.version()).isEmpty();
            return;
        }
        assertThat(options).containsExactly(NativeHeapTrim.OPTION);

        String output = ChildJvm.run(options, "-Xlog:trimnative", "-version");

        assertThat(output).contains("Periodic native trim enabled (interval: 5000 ms");
    }
}
